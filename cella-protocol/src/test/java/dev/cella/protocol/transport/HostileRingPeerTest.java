package dev.cella.protocol.transport;

import static dev.cella.protocol.transport.RingLayout.KIND_REQUEST;
import static dev.cella.protocol.transport.RingLayout.KIND_RESPONSE;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A host that writes its own records into the rings instead of running an {@link Endpoint}: it
 * answers calls never made, answers twice, replays an old answer into a later call, and answers
 * concurrent calls out of order. The enclave's endpoint gives each call its own answer, drops the
 * rest, and goes on serving.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileRingPeerTest {
  @RegisterExtension final ChannelPairs pairs = new ChannelPairs();
  private HandHost host;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

  @BeforeEach
  void start() throws Exception {
    host = HandHost.start(pairs, frame -> concat("enclave saw ", frame),
        b -> b.maxMessageBytes(1 << 20));
  }

  @AfterEach
  void close() {
    threads.shutdownNow();
  }

  @Test
  void answersToCallsNeverMade_duplicatesAndReplays_areDropped_eachCallGetsItsOwnAnswer()
      throws Exception {
    Future<byte[]> first = threads.submit(() -> host.pair.enclaveEnd.call(utf8("one")));
    Message call1 = nextMessage();
    assertThat(call1.isRequest()).isTrue();
    send(KIND_RESPONSE, call1.callId() + 1000, utf8("an answer to a call never made"));
    send(KIND_RESPONSE, call1.callId(), utf8("answer one"));
    send(KIND_RESPONSE, call1.callId(), utf8("answer one, again"));
    assertThat(text(first.get(10, TimeUnit.SECONDS))).isEqualTo("answer one");

    Future<byte[]> second = threads.submit(() -> host.pair.enclaveEnd.call(utf8("two")));
    Message call2 = nextMessage();
    assertThat(call2.callId()).isNotEqualTo(call1.callId());
    send(KIND_RESPONSE, call1.callId(), utf8("answer one, replayed"));
    send(KIND_RESPONSE, call2.callId(), utf8("answer two"));
    assertThat(text(second.get(10, TimeUnit.SECONDS))).isEqualTo("answer two");

    assertThat(host.pair.enclaveEnd.isAlive()).isTrue();
    send(KIND_REQUEST, 77, utf8("ping"));
    Message pong = nextMessage();
    assertThat(pong.callId()).isEqualTo(77);
    assertThat(text(pong.body())).isEqualTo("enclave saw ping");
    // Reported, not only survived: the never-made, the duplicated and the replayed answer.
    assertThat(host.pair.enclaveEnd.strayAnswers()).isEqualTo(3);
  }

  @Test
  void answersOutOfOrder_reachTheirOwnCallers() throws Exception {
    Future<byte[]> a = threads.submit(() -> host.pair.enclaveEnd.call(utf8("a")));
    Message callA = nextMessage();
    Future<byte[]> b = threads.submit(() -> host.pair.enclaveEnd.call(utf8("b")));
    Message callB = nextMessage();
    send(KIND_RESPONSE, callB.callId(), concat("for ", callB.body()));
    send(KIND_RESPONSE, callA.callId(), concat("for ", callA.body()));

    assertThat(text(a.get(10, TimeUnit.SECONDS))).isEqualTo("for a");
    assertThat(text(b.get(10, TimeUnit.SECONDS))).isEqualTo("for b");
  }

  private void send(byte kind, long callId, byte[] payload) throws Exception {
    host.write(kind, callId, payload);
  }

  private Message nextMessage() {
    return host.awaitMessage();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static byte[] concat(String prefix, byte[] frame) {
    return (prefix + text(frame)).getBytes(StandardCharsets.UTF_8);
  }
}
