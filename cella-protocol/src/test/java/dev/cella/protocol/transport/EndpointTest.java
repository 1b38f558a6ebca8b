package dev.cella.protocol.transport;

import static dev.cella.protocol.transport.TestBytes.text;
import static dev.cella.protocol.transport.TestBytes.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.spi.FrameParts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EndpointTest {
  @RegisterExtension final ChannelPairs pairs = new ChannelPairs();
  private ChannelPair pair;

  @Test
  void call_returnsTheOtherSidesAnswer() throws Exception {
    pair = pairs.open(1 << 16).start(
        frame -> frame, frame -> utf8("enclave saw " + text(frame)), 1 << 20);
    assertThat(text(pair.hostEnd.call(utf8("hello")))).isEqualTo("enclave saw hello");
    assertThat(text(pair.enclaveEnd.call(utf8("up")))).isEqualTo("up");
    assertThat(text(pair.hostEnd.call(new byte[0]))).isEqualTo("enclave saw ");
  }

  @Test
  void messagesLargerThanTheRing_streamInChunks_bothWays() throws Exception {
    byte[] big = new byte[(1 << 20) + 12345];
    new Random(7).nextBytes(big);
    pair = pairs.open(1 << 14).start(
        frame -> frame, frame -> reversed(frame), 4 << 20);
    for (int i = 0; i < 3; i++) {
      assertThat(pair.hostEnd.call(big)).isEqualTo(reversed(big));
    }
    assertThat(pair.enclaveEnd.call(big)).isEqualTo(big);
  }

  @Test
  void framesInTwoParts_crossApart_andAWholeAnswerStaysWhole() throws Exception {
    byte[] big = new byte[(1 << 20) + 3];
    new Random(11).nextBytes(big);
    Endpoint.Handler splitting = new Endpoint.Handler() {
      @Override
      public byte[] handle(byte[] request) {
        return utf8("whole " + request.length);
      }

      @Override
      public FrameParts handle(FrameParts request) {
        // Answers with the head it got, reversed, and the body as it came.
        byte[] head = request.head();
        return new FrameParts(new byte[] {head[1], head[0]}, request.body());
      }
    };
    pair = pairs.open(1 << 14).start(frame -> frame, splitting, 4 << 20);
    for (int i = 0; i < 3; i++) {
      FrameParts answer = pair.hostEnd.call(new FrameParts(new byte[] {1, 2}, big));
      assertThat(answer.head()).containsExactly(2, 1);
      assertThat(answer.body()).isEqualTo(big);
    }
    // A request that came whole goes to handle(byte[]) and its answer comes back whole.
    assertThat(text(pair.hostEnd.call(new byte[7]))).isEqualTo("whole 7");
    FrameParts whole = pair.hostEnd.call(FrameParts.whole(new byte[5]));
    assertThat(whole.head()).isEmpty();
    assertThat(text(whole.body())).isEqualTo("whole 5");
    // The default handler joins the parts: the echo side gets one frame.
    assertThat(pair.enclaveEnd.call(new FrameParts(new byte[] {9}, new byte[] {8, 7})).joined())
        .containsExactly(9, 8, 7);
    assertThatThrownBy(() -> pair.hostEnd.call(new FrameParts(new byte[256], new byte[0])))
        .isInstanceOf(EnclaveException.class).hasMessageContaining("at most 255");
  }

  @Test
  void callAfterTheOtherSideWentIdle_isWokenByTheDoorbell() throws Exception {
    pair = pairs.open(1 << 16).start(frame -> frame, frame -> frame, 1 << 20);
    for (int i = 0; i < 5; i++) {
      Thread.sleep(60);
      assertThat(text(pair.hostEnd.call(utf8("ping" + i)))).isEqualTo("ping" + i);
      assertThat(text(pair.enclaveEnd.call(utf8("pong" + i)))).isEqualTo("pong" + i);
    }
  }

  @Test
  void withoutAnySpinning_everyCallGoesThroughTheDoorbells_andCompletes() throws Exception {
    for (ChannelPair.Bells bells : ChannelPair.Bells.values()) {
      ChannelPair p = pairs.open(1 << 16, bells)
          .start(frame -> frame, frame -> frame, 1 << 20, Duration.ZERO);
      try {
        for (int i = 0; i < 200; i++) {
          assertThat(text(p.hostEnd.call(utf8("a" + i)))).isEqualTo("a" + i);
          assertThat(text(p.enclaveEnd.call(utf8("b" + i)))).isEqualTo("b" + i);
          if (i % 50 == 0) {
            Thread.sleep(5);
          }
        }
      } finally {
        p.close();
      }
    }
  }

  @Test
  void pipeDoorbellsBothWays_wakeAnIdleSideToo() throws Exception {
    pair = pairs.open(1 << 16, ChannelPair.Bells.PIPES).start(frame -> frame, frame -> frame, 1 << 20);
    for (int i = 0; i < 3; i++) {
      Thread.sleep(60);
      assertThat(text(pair.hostEnd.call(utf8("ping" + i)))).isEqualTo("ping" + i);
      assertThat(text(pair.enclaveEnd.call(utf8("pong" + i)))).isEqualTo("pong" + i);
    }
  }

  @Test
  void slowAnswers_toManyWaitingThreads_allArrive() throws Exception {
    pair = pairs.open(1 << 12).start(frame -> frame, frame -> {
      try {
        Thread.sleep(3);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return frame;
    }, 1 << 20);
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        int id = t;
        results.add(pool.submit(() -> {
          int ok = 0;
          for (int i = 0; i < 40; i++) {
            if (text(pair.hostEnd.call(utf8(id + ":" + i))).equals(id + ":" + i)) {
              ok++;
            }
          }
          return ok;
        }));
      }
      for (Future<Integer> r : results) {
        assertThat(r.get(50, TimeUnit.SECONDS)).isEqualTo(40);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void withoutSpinning_manyCallersWaitingAtOnce_onEveryKindOfBell_allGetTheirAnswers()
      throws Exception {
    for (ChannelPair.Bells bells : ChannelPair.Bells.values()) {
      ChannelPair p = pairs.open(1 << 16, bells)
          .start(frame -> frame, frame -> {
            try {
              Thread.sleep(1);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return frame;
          }, 1 << 20, Duration.ZERO);
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          int id = t;
          results.add(pool.submit(() -> {
            int ok = 0;
            for (int i = 0; i < 25; i++) {
              if (text(p.hostEnd.call(utf8(id + ":" + i))).equals(id + ":" + i)) {
                ok++;
              }
            }
            return ok;
          }));
        }
        for (Future<Integer> r : results) {
          assertThat(r.get(50, TimeUnit.SECONDS)).isEqualTo(25);
        }
      } finally {
        pool.shutdownNow();
        p.close();
      }
    }
  }

  @Test
  void requestsOverTheServingBound_areAnsweredByTheBusyHandler_andLaterOnesServedAgain()
      throws Exception {
    CountDownLatch inside = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    pair = pairs.open(1 << 16).start(frame -> {
      inside.countDown();
      try {
        release.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return utf8("served " + text(frame));
    }, frame -> frame, 1 << 20, Duration.ofNanos(50_000),
        b -> b.maxServing(2, frame -> utf8("busy " + text(frame))));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<byte[]> a = pool.submit(() -> pair.enclaveEnd.call(utf8("a")));
      Future<byte[]> b = pool.submit(() -> pair.enclaveEnd.call(utf8("b")));
      assertThat(inside.await(20, TimeUnit.SECONDS)).isTrue();
      assertThat(text(pair.enclaveEnd.call(utf8("c")))).isEqualTo("busy c");
      release.countDown();
      assertThat(text(a.get(20, TimeUnit.SECONDS))).isEqualTo("served a");
      assertThat(text(b.get(20, TimeUnit.SECONDS))).isEqualTo("served b");
      assertThat(text(pair.enclaveEnd.call(utf8("d")))).isEqualTo("served d");
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void manyThreads_eachGetTheirOwnAnswer() throws Exception {
    pair = pairs.open(1 << 12).start(frame -> frame,
        frame -> utf8(text(frame).toUpperCase()), 1 << 20);
    int threads = 16;
    int calls = 300;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        results.add(pool.submit(() -> {
          int ok = 0;
          for (int i = 0; i < calls; i++) {
            String s = "t" + id + "-" + i + "-" + "x".repeat(i % 700);
            if (text(pair.hostEnd.call(utf8(s))).equals(s.toUpperCase())) {
              ok++;
            }
          }
          return ok;
        }));
      }
      int total = 0;
      for (Future<Integer> r : results) {
        total += r.get(50, TimeUnit.SECONDS);
      }
      assertThat(total).isEqualTo(threads * calls);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void nestedCalls_goBackAndForth_onTheCallingThreads() throws Exception {
    AtomicReference<Endpoint> host = new AtomicReference<>();
    AtomicReference<Endpoint> enclave = new AtomicReference<>();
    // Each side answers "n" by calling the other with n-1, until 0.
    pair = pairs.open(1 << 12).start(
        frame -> descend(host.get(), frame), frame -> descend(enclave.get(), frame), 1 << 20);
    host.set(pair.hostEnd);
    enclave.set(pair.enclaveEnd);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        results.add(pool.submit(() -> {
          String last = "";
          for (int i = 0; i < 40; i++) {
            last = text(pair.hostEnd.call(utf8("7")));
          }
          return last;
        }));
      }
      for (Future<String> r : results) {
        assertThat(r.get(50, TimeUnit.SECONDS)).isEqualTo("0<1<2<3<4<5<6<7");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static byte[] descend(Endpoint self, byte[] frame) {
    int n = Integer.parseInt(text(frame));
    if (n == 0) {
      return utf8("0");
    }
    return utf8(text(self.call(utf8(Integer.toString(n - 1)))) + "<" + n);
  }

  @Test
  void aBlockingRequest_doesNotStallTheOthers() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    pair = pairs.open(1 << 16).start(frame -> frame, frame -> {
      if (text(frame).equals("block")) {
        try {
          release.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return frame;
    }, 1 << 20);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<byte[]> blocked = pool.submit(() -> pair.hostEnd.call(utf8("block")));
      for (int i = 0; i < 100; i++) {
        assertThat(text(pair.hostEnd.call(utf8("free" + i)))).isEqualTo("free" + i);
      }
      assertThat(blocked.isDone()).isFalse();
      release.countDown();
      assertThat(text(blocked.get(20, TimeUnit.SECONDS))).isEqualTo("block");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void handlerThatThrows_failsThatCallWithInternal_andTheChannelStaysUsable() throws Exception {
    pair = pairs.open(1 << 16).start(frame -> frame, frame -> {
      if (text(frame).equals("boom")) {
        throw new IllegalStateException("boom");
      }
      return frame;
    }, 1 << 20);
    assertThatThrownBy(() -> pair.hostEnd.call(utf8("boom")))
        .isInstanceOfSatisfying(EnclaveException.class,
            e -> assertThat(e.code()).isEqualTo(Code.INTERNAL));
    assertThat(text(pair.hostEnd.call(utf8("fine")))).isEqualTo("fine");
  }

  @Test
  void messageOverTheLimit_isRefusedBeforeSending() throws Exception {
    pair = pairs.open(1 << 16).start(frame -> frame, frame -> frame, 1000);
    assertThatThrownBy(() -> pair.hostEnd.call(new byte[1001]))
        .isInstanceOfSatisfying(EnclaveException.class,
            e -> assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT));
    assertThat(pair.hostEnd.call(new byte[1000])).hasSize(1000);
  }

  @Test
  void answerOverTheLimit_failsTheCall_notTheChannel() throws Exception {
    pair = pairs.open(1 << 16).start(frame -> frame,
        frame -> new byte[Integer.parseInt(text(frame))], 1000);
    assertThatThrownBy(() -> pair.hostEnd.call(utf8("1001")))
        .isInstanceOfSatisfying(EnclaveException.class,
            e -> assertThat(e.code()).isEqualTo(Code.INTERNAL));
    assertThat(pair.hostEnd.call(utf8("1000"))).hasSize(1000);
  }

  @Test
  void fail_makesPendingAndLaterCallsUnavailable_quickly() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    pair = pairs.open(1 << 16).start(frame -> frame, frame -> {
      entered.countDown();
      try {
        Thread.sleep(20_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return frame;
    }, 1 << 20);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<byte[]> pending = pool.submit(() -> pair.hostEnd.call(utf8("slow")));
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
      long start = System.nanoTime();
      pair.hostEnd.fail("the enclave died");
      assertThatThrownBy(() -> pending.get(5, TimeUnit.SECONDS))
          .hasCauseInstanceOf(EnclaveException.class)
          .cause().hasMessage("the enclave died")
          .satisfies(e -> assertThat(((EnclaveException) e).code()).isEqualTo(Code.UNAVAILABLE));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
      assertThatThrownBy(() -> pair.hostEnd.call(utf8("later")))
          .isInstanceOfSatisfying(EnclaveException.class,
              e -> assertThat(e.code()).isEqualTo(Code.UNAVAILABLE));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void otherSideClosingItsDoorbell_failsThisSide() throws Exception {
    pair = pairs.open(1 << 16).start(frame -> frame, frame -> frame, 1 << 20);
    assertThat(pair.hostEnd.call(utf8("x"))).isEqualTo(utf8("x"));
    pair.enclaveBell.close();
    assertThat(pair.hostEnd.awaitFailure(Duration.ofSeconds(5))).isTrue();
    assertThat(pair.hostEnd.failureOrNull()).contains("closed the channel");
  }

  private static byte[] reversed(byte[] in) {
    byte[] out = Arrays.copyOf(in, in.length);
    for (int i = 0; i < out.length / 2; i++) {
      byte t = out[i];
      out[i] = out[out.length - 1 - i];
      out[out.length - 1 - i] = t;
    }
    return out;
  }
}
