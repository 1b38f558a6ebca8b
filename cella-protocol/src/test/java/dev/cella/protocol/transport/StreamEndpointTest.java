package dev.cella.protocol.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamEndpointTest {
  private static final Duration HELLO = Duration.ofSeconds(10);

  @TempDir Path folder;
  private SocketChannel a;
  private SocketChannel b;
  private StreamEndpoint hostEnd;
  private StreamEndpoint enclaveEnd;

  @AfterEach
  void close() throws IOException {
    if (hostEnd != null) {
      hostEnd.close();
    }
    if (enclaveEnd != null) {
      enclaveEnd.close();
    }
    a.close();
    b.close();
  }

  private void connect() throws IOException {
    Path path = folder.resolve("s");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(path));
      a = SocketChannel.open(UnixDomainSocketAddress.of(path));
      b = server.accept();
    }
  }

  private void start(Endpoint.Handler onHost, Endpoint.Handler onEnclave, int max)
      throws Exception {
    connect();
    hostEnd = StreamEndpoint.builder(Channels.newInputStream(a), Channels.newOutputStream(a),
        onHost).name("host").maxMessageBytes(max).closeOnFailure(a).build();
    enclaveEnd = StreamEndpoint.builder(Channels.newInputStream(b), Channels.newOutputStream(b),
        onEnclave).name("enclave").maxMessageBytes(max).closeOnFailure(b).build();
    hostEnd.start();
    enclaveEnd.start();
    assertThat(hostEnd.awaitHello(HELLO)).isTrue();
    assertThat(enclaveEnd.awaitHello(HELLO)).isTrue();
  }

  /** Only the host's end is an endpoint; the test writes raw bytes as the other side. */
  private OutputStream startHostOnly(int max) throws Exception {
    connect();
    hostEnd = StreamEndpoint.builder(Channels.newInputStream(a), Channels.newOutputStream(a),
        f -> f).name("host").maxMessageBytes(max).closeOnFailure(a).build();
    hostEnd.start();
    return Channels.newOutputStream(b);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Test
  void call_returnsTheOtherSidesAnswer_bothWays() throws Exception {
    start(f -> f, f -> utf8("enclave saw " + text(f)), 1 << 20);
    assertThat(text(hostEnd.call(utf8("hello")))).isEqualTo("enclave saw hello");
    assertThat(text(enclaveEnd.call(utf8("up")))).isEqualTo("up");
    assertThat(text(hostEnd.call(new byte[0]))).isEqualTo("enclave saw ");
  }

  @Test
  void largeMessages_crossIntact_bothWays() throws Exception {
    byte[] big = new byte[(2 << 20) + 12345];
    new Random(7).nextBytes(big);
    start(f -> f, f -> {
      byte[] r = f.clone();
      for (int i = 0; i < r.length; i++) {
        r[i] ^= 0x5A;
      }
      return r;
    }, 4 << 20);
    byte[] answer = hostEnd.call(big);
    assertThat(answer).hasSize(big.length);
    for (int i = 0; i < big.length; i += 4099) {
      assertThat(answer[i]).isEqualTo((byte) (big[i] ^ 0x5A));
    }
    assertThat(enclaveEnd.call(big)).isEqualTo(big);
  }

  @Test
  void aStreamWhoseAvailableFails_stillCarriesMessagesLargerThanOneRead() throws Exception {
    // As a virtio serial port does: available() fails with "Illegal seek", reads come in pieces.
    connect();
    InputStream raw = Channels.newInputStream(b);
    InputStream device = new java.io.FilterInputStream(raw) {
      @Override
      public int available() throws IOException {
        throw new IOException("Illegal seek");
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        return super.read(buffer, offset, Math.min(length, 1000));
      }
    };
    hostEnd = StreamEndpoint.builder(Channels.newInputStream(a), Channels.newOutputStream(a),
        f -> f).name("host").maxMessageBytes(1 << 20).closeOnFailure(a).build();
    enclaveEnd = StreamEndpoint.builder(device, Channels.newOutputStream(b), f -> f)
        .name("enclave").maxMessageBytes(1 << 20).closeOnFailure(b).build();
    hostEnd.start();
    enclaveEnd.start();
    byte[] big = new byte[300_000];
    new Random(3).nextBytes(big);
    assertThat(hostEnd.call(big)).isEqualTo(big);
  }

  @Test
  void manyThreads_eachGetTheirOwnAnswer() throws Exception {
    start(f -> f, f -> utf8("re:" + text(f)), 1 << 20);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          for (int i = 0; i < 200; i++) {
            String q = thread + "/" + i;
            assertThat(text(hostEnd.call(utf8(q)))).isEqualTo("re:" + q);
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void nestedCalls_goBackAndForth_onTheCallingThreads() throws Exception {
    AtomicReference<Thread> hostServedOn = new AtomicReference<>();
    AtomicReference<StreamEndpoint> enclave = new AtomicReference<>();
    AtomicReference<StreamEndpoint> host = new AtomicReference<>();
    start(f -> {
      hostServedOn.set(Thread.currentThread());
      int depth = Integer.parseInt(text(f));
      return enclave.get() == null || depth == 0 ? utf8("0") : host.get().call(utf8("" + (depth - 1)));
    }, f -> {
      int depth = Integer.parseInt(text(f));
      return depth == 0 ? utf8("bottom") : enclave.get().call(utf8("" + (depth - 1)));
    }, 1 << 16);
    enclave.set(enclaveEnd);
    host.set(hostEnd);
    assertThat(text(hostEnd.call(utf8("9")))).isIn("bottom", "0");
    assertThat(hostServedOn.get()).isSameAs(Thread.currentThread());
  }

  @Test
  void handlerThatThrows_failsThatCallWithInternal_andTheChannelStaysUsable() throws Exception {
    start(f -> f, f -> {
      if (f.length == 0) {
        throw new IllegalStateException("boom");
      }
      return f;
    }, 1 << 16);
    assertThatThrownBy(() -> hostEnd.call(new byte[0])).isInstanceOf(EnclaveException.class)
        .extracting(e -> ((EnclaveException) e).code()).isEqualTo(Code.INTERNAL);
    assertThat(text(hostEnd.call(utf8("still")))).isEqualTo("still");
  }

  @Test
  void messageOverTheLimit_isRefusedBeforeSending() throws Exception {
    start(f -> f, f -> f, 1024);
    assertThatThrownBy(() -> hostEnd.call(new byte[1025])).isInstanceOf(EnclaveException.class)
        .extracting(e -> ((EnclaveException) e).code()).isEqualTo(Code.INVALID_ARGUMENT);
    assertThat(hostEnd.call(utf8("ok"))).isEqualTo(utf8("ok"));
  }

  @Test
  void recordClaimingMoreThanTheLimit_breaksTheChannel_withoutAllocatingIt() throws Exception {
    OutputStream peer = startHostOnly(1 << 16);
    peer.write(ByteBuffer.allocate(8).putInt(StreamFraming.MAGIC).putInt(1).array());
    peer.write(header(Integer.MAX_VALUE, RingLayout.KIND_REQUEST, 0, 1, 0));
    peer.flush();
    assertThat(hostEnd.awaitFailure(Duration.ofSeconds(10))).isTrue();
    assertThat(hostEnd.failureOrNull()).contains("exceeds the limit");
    assertUnavailable(() -> hostEnd.call(utf8("x")));
  }

  @Test
  void recordOfUnknownKind_breaksTheChannel() throws Exception {
    OutputStream peer = startHostOnly(1 << 16);
    peer.write(ByteBuffer.allocate(8).putInt(StreamFraming.MAGIC).putInt(1).array());
    peer.write(header(0, (byte) 9, 0, 1, 0));
    peer.flush();
    assertThat(hostEnd.awaitFailure(Duration.ofSeconds(10))).isTrue();
    assertThat(hostEnd.failureOrNull()).contains("unknown kind");
  }

  @Test
  void responseNamingAParent_breaksTheChannel() throws Exception {
    OutputStream peer = startHostOnly(1 << 16);
    peer.write(ByteBuffer.allocate(8).putInt(StreamFraming.MAGIC).putInt(1).array());
    peer.write(header(0, RingLayout.KIND_RESPONSE, 0, 1, 5));
    peer.flush();
    assertThat(hostEnd.awaitFailure(Duration.ofSeconds(10))).isTrue();
    assertThat(hostEnd.failureOrNull()).contains("parent");
  }

  @Test
  void wrongHello_breaksTheChannel() throws Exception {
    OutputStream peer = startHostOnly(1 << 16);
    peer.write(utf8("GET / HTTP/1.1\r\n"));
    peer.flush();
    assertThat(hostEnd.awaitHello(Duration.ofSeconds(10))).isFalse();
    assertThat(hostEnd.failureOrNull()).contains("does not speak");
  }

  @Test
  void streamEndingInsideARecord_breaksTheChannel() throws Exception {
    OutputStream peer = startHostOnly(1 << 16);
    peer.write(ByteBuffer.allocate(8).putInt(StreamFraming.MAGIC).putInt(1).array());
    peer.write(Arrays.copyOf(header(100, RingLayout.KIND_REQUEST, 0, 1, 0), 30));
    peer.flush();
    b.shutdownOutput();
    assertThat(hostEnd.awaitFailure(Duration.ofSeconds(10))).isTrue();
    assertThat(hostEnd.failureOrNull()).contains("ended inside a record");
  }

  @Test
  void otherSideGoingAway_failsThePendingCall_withUnavailable() throws Exception {
    connect();
    InputStream peerIn = Channels.newInputStream(b);
    hostEnd = StreamEndpoint.builder(Channels.newInputStream(a), Channels.newOutputStream(a),
        f -> f).name("host").closeOnFailure(a).build();
    hostEnd.start();
    Thread closer = Thread.ofPlatform().start(() -> {
      try {
        // Read the hello and the header of the call, then hang up without answering.
        peerIn.readNBytes(8 + StreamFraming.HEADER_BYTES);
        b.close();
      } catch (IOException ignored) {
        // The test fails on the assertion below.
      }
    });
    long start = System.nanoTime();
    assertUnavailable(() -> hostEnd.call(utf8("")));
    assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(5));
    closer.join(5000);
  }

  @Test
  void fail_makesPendingAndLaterCallsUnavailable() throws Exception {
    start(f -> f, f -> {
      try {
        Thread.sleep(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return f;
    }, 1 << 16);
    Thread failer = Thread.ofPlatform().start(() -> {
      try {
        Thread.sleep(200);
      } catch (InterruptedException ignored) {
        // Fail now.
      }
      hostEnd.fail("gone for the test");
    });
    assertUnavailable(() -> hostEnd.call(utf8("slow")));
    assertUnavailable(() -> hostEnd.call(utf8("later")));
    failer.join(5000);
  }

  private static byte[] header(int length, byte kind, int flags, long callId, long parentId) {
    return ByteBuffer.allocate(StreamFraming.HEADER_BYTES).putInt(length).put(kind)
        .put((byte) flags).putShort((short) 0).putLong(callId).putLong(parentId).array();
  }

  private static void assertUnavailable(org.assertj.core.api.ThrowableAssert.ThrowingCallable c) {
    assertThatThrownBy(c).isInstanceOf(EnclaveException.class)
        .extracting(e -> ((EnclaveException) e).code()).isEqualTo(Code.UNAVAILABLE);
  }
}
