package dev.cella.protocol.transport;

import static dev.cella.protocol.transport.TestBytes.sleep;
import static dev.cella.protocol.transport.TestBytes.text;
import static dev.cella.protocol.transport.TestBytes.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Callers on both sides that come and go, with gaps that let each side's threads go to sleep,
 * on every doorbell wiring, polling not at all and for 10 ms: calls nested both ways (host ->
 * enclave -> host, and enclave -> host -> enclave), answers of several records, answers that take
 * a millisecond, requests of the enclave nested in no call while host callers poll or while none
 * does. Whoever reads the ring, every answer must reach its own caller — none reported as stray
 * (what another thread reads for a caller that holds no token and is not registered is dropped
 * as one, and that caller then waits for ever) — and no call may wait for a ring that never
 * comes: the run must end within seconds, and then each side, alone and after a gap, must still
 * be answered.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class CallerChurnTest {
  private static final int HOST_CALLERS = 3;
  private static final int ENCLAVE_CALLERS = 2;
  private static final long RUN_NANOS = TimeUnit.MILLISECONDS.toNanos(700);
  /** Far above any answer here, far below the timeouts a lost wake-up can end in (none). */
  private static final long HANG_SECONDS = 20;

  @RegisterExtension final ChannelPairs pairs = new ChannelPairs();

  // Frames are "kind:tag". Host handler: kind n calls the enclave back (nested). Enclave
  // handler: kind n calls the host back (nested), kind s sleeps 1 ms, kind b answers with 6 KB
  // (more than one record of a 4 KiB ring). Every answer ends with the tag it was asked about.

  @Test
  void callersComingAndGoingOnBothSides_nestedAndLarge_allGetTheirOwnAnswers() throws Exception {
    for (ChannelPair.Bells bells : ChannelPair.Bells.values()) {
      for (Duration spin : List.of(Duration.ZERO, Duration.ofMillis(10))) {
        churn(bells, spin);
      }
    }
  }

  private void churn(ChannelPair.Bells bells, Duration spin) throws Exception {
    AtomicReference<ChannelPair> pair = new AtomicReference<>();
    ChannelPair p = pairs.open(1 << 12, bells).start(
        frame -> answer("host", frame, pair.get().enclaveEnd),
        frame -> answer("enclave", frame, pair.get().hostEnd), 1 << 20, spin);
    pair.set(p);
    String where = bells + ", spin " + spin;
    AtomicInteger wrong = new AtomicInteger();
    AtomicLong slowest = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(HOST_CALLERS + ENCLAVE_CALLERS,
        Thread.ofPlatform().daemon().factory());
    try {
      long end = System.nanoTime() + RUN_NANOS;
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < HOST_CALLERS + ENCLAVE_CALLERS; t++) {
        boolean fromHost = t < HOST_CALLERS;
        Endpoint caller = fromHost ? p.hostEnd : p.enclaveEnd;
        String name = (fromHost ? "h" : "e") + t;
        results.add(pool.submit(() -> {
          int calls = 0;
          for (int i = 0; System.nanoTime() < end; i++) {
            String kind = fromHost ? pick("x", "n", "s", "b") : pick("x", "n", "b");
            String tag = name + "-" + i;
            long start = System.nanoTime();
            String answer = text(caller.call(utf8(kind + ":" + tag)));
            slowest.accumulateAndGet(System.nanoTime() - start, Math::max);
            if (!answer.endsWith("|" + tag)) {
              wrong.incrementAndGet();
            }
            calls++;
            gap();
          }
          return calls;
        }));
      }
      int calls = 0;
      for (Future<Integer> result : results) {
        calls += within(p, where, result);
      }
      // Now each side alone, after a gap that sends every thread of both sides to sleep.
      for (int i = 0; i < 4; i++) {
        String tag = "alone-" + i;
        Thread.sleep(3);
        Future<String> fromHost = pool.submit(() -> text(p.hostEnd.call(utf8("n:h" + tag))));
        assertThat(within(p, where, fromHost)).endsWith("|h" + tag);
        Thread.sleep(3);
        Future<String> fromEnclave =
            pool.submit(() -> text(p.enclaveEnd.call(utf8("n:e" + tag))));
        assertThat(within(p, where, fromEnclave)).endsWith("|e" + tag);
      }
      assertThat(wrong).as("answers not to their own call, of %d (%s)", calls, where).hasValue(0);
      assertThat(p.hostEnd.strayAnswers()).as("stray answers on the host (%s)", where).isZero();
      assertThat(p.enclaveEnd.strayAnswers()).as("stray answers in the enclave (%s)", where)
          .isZero();
      assertThat(slowest.get()).as("the slowest of %d calls, ns (%s)", calls, where)
          .isLessThan(TimeUnit.SECONDS.toNanos(5));
    } finally {
      pool.shutdownNow();
      p.close();
    }
  }

  /** Serves one frame: calls the other side back for kind n, sleeps for s, grows for b. */
  private static byte[] answer(String side, byte[] frame, Endpoint back) {
    String request = text(frame);
    String kind = request.substring(0, request.indexOf(':'));
    String tag = request.substring(request.indexOf(':') + 1);
    switch (kind) {
      case "n" -> {
        // Nested: answered by the other side's plain echo of a fresh tag.
        String inner = tag + "/" + side;
        String back2 = text(back.call(utf8("x:" + inner)));
        if (!back2.endsWith("|" + inner)) {
          return utf8("nested answer went astray: " + back2 + "|?");
        }
      }
      case "s" -> sleep(1);
      case "b" -> {
        return utf8("b".repeat(6000) + "|" + tag);
      }
      default -> { }
    }
    return utf8(side + "|" + tag);
  }

  private static String pick(String... kinds) {
    return kinds[ThreadLocalRandom.current().nextInt(kinds.length)];
  }

  /** None, a fraction of a millisecond, or 1 to 3 ms: the other side's threads may sleep. */
  private static void gap() throws InterruptedException {
    int r = ThreadLocalRandom.current().nextInt(6);
    if (r == 0) {
      Thread.sleep(0, ThreadLocalRandom.current().nextInt(500_000));
    } else if (r == 1) {
      Thread.sleep(1 + ThreadLocalRandom.current().nextInt(3));
    }
  }

  /** The result, or a failure naming a hang after {@link #HANG_SECONDS} (closing the pair). */
  private static <T> T within(ChannelPair p, String where, Future<T> result) throws Exception {
    try {
      return result.get(HANG_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      p.close(); // fails the endpoints: the waiting calls end
      return fail("a call still waits after %d s (%s): a lost wake-up", HANG_SECONDS, where);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }
}
