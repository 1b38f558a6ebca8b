package dev.cella.protocol.transport;

import static dev.cella.protocol.transport.TestBytes.reversed;
import static dev.cella.protocol.transport.TestBytes.sleep;
import static dev.cella.protocol.transport.TestBytes.text;
import static dev.cella.protocol.transport.TestBytes.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Lost wake-ups on a channel whose sides sleep: on every doorbell wiring, a call whose answer
 * (or a request nested in it) comes only after its caller has gone to sleep is woken by it; a
 * request the enclave sends a host with no caller at all, after a gap that sent the host's
 * doorbell thread to sleep, wakes it; and messages larger than the ring cross both ways while the
 * other side sleeps between their records.
 *
 * <p>A lost wake-up shows as a call that waits for a timeout — the 50 ms of a caller sleeping on
 * a socket, or for ever on pipes, where a parked caller never looks at the ring itself. Each
 * scenario therefore runs under a deadline of seconds (a hang fails it, not the class timeout),
 * and counts the calls slower than 40 ms, which must stay a minority: the answers here take a few
 * milliseconds, so a correct channel has such calls only when the machine stalls, while a lost
 * wake-up makes (nearly) every call one.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SleepingSideWakeUpTest {
  private static final long SLOW_NANOS = TimeUnit.MILLISECONDS.toNanos(40);
  private static final Duration DEADLINE = Duration.ofSeconds(15);

  @RegisterExtension final ChannelPairs pairs = new ChannelPairs();
  // Daemon threads: a call that waits for ever must not keep the test JVM alive.
  private final ExecutorService runner =
      Executors.newCachedThreadPool(Thread.ofPlatform().daemon().factory());

  @AfterEach
  void stopRunner() {
    runner.shutdownNow();
  }

  @Test
  void aHostCallerAsleepBeforeItsAnswer_isWokenByIt_onEveryBell() throws Exception {
    // No polling: the host's caller gives the token back and sleeps at once; the enclave answers
    // 2 ms later, so the answer must ring it — asked for by the host's release while it waits.
    for (ChannelPair.Bells bells : ChannelPair.Bells.values()) {
      ChannelPair p = pairs.open(1 << 16, bells).start(frame -> frame, frame -> {
        sleep(2);
        return frame;
      }, 1 << 20, Duration.ZERO);
      int slow = countSlow(p, "host calls answered late, " + bells, 25,
          i -> assertThat(text(p.hostEnd.call(utf8("late " + i)))).isEqualTo("late " + i));
      assertThat(slow).as("host calls slower than 40 ms of 25 (%s)", bells).isLessThan(8);
      p.close();
    }
  }

  @Test
  void aRequestNestedInASleepingHostCall_wakesIt_onEveryBell() throws Exception {
    // host -> enclave -> host: the enclave's nested request comes after the host's caller has
    // slept; it must ring the caller (who serves it), and so must the answer after it.
    for (ChannelPair.Bells bells : ChannelPair.Bells.values()) {
      AtomicReference<Endpoint> enclave = new AtomicReference<>();
      ChannelPair p = pairs.open(1 << 16, bells).start(frame -> utf8("host:" + text(frame)),
          frame -> {
            sleep(2);
            byte[] nested = enclave.get().call(frame);
            return utf8("enclave:" + text(nested));
          }, 1 << 20, Duration.ZERO);
      enclave.set(p.enclaveEnd);
      int slow = countSlow(p, "nested calls, " + bells, 25,
          i -> assertThat(text(p.hostEnd.call(utf8("n" + i)))).isEqualTo("enclave:host:n" + i));
      assertThat(slow).as("nested host calls slower than 40 ms of 25 (%s)", bells).isLessThan(8);
      p.close();
    }
  }

  @Test
  void anEnclaveRequestToAHostWithNoCaller_wakesItsDoorbellThread_onEveryBell()
      throws Exception {
    // The host asks for no rings while none of its callers waits, so only the ring the enclave
    // sends unasked for each request nested in no call wakes the host's doorbell thread. Each
    // request comes 3 ms after the last answer: that thread is asleep by then.
    for (ChannelPair.Bells bells : ChannelPair.Bells.values()) {
      for (Duration spin : List.of(Duration.ZERO, Duration.ofNanos(50_000))) {
        ChannelPair p = pairs.open(1 << 16, bells).start(frame -> utf8("host saw " + text(frame)),
            frame -> frame, 1 << 20, spin);
        int slow = countSlow(p, "enclave calls to an idle host, " + bells + ", spin " + spin, 16,
            i -> {
              if (i == 0) {
                p.hostEnd.call(utf8("warm")); // the host has read: it asks for nothing now
                return;
              }
              sleep(3);
              assertThat(text(p.enclaveEnd.call(utf8("up " + i)))).isEqualTo("host saw up " + i);
            });
        assertThat(slow).as("enclave calls slower than 40 ms of 15 (%s, spin %s)", bells, spin)
            .isLessThan(5);
        p.close();
      }
    }
  }

  @Test
  void messagesLargerThanTheRing_crossBothWays_whileTheOtherSideSleeps_onEveryBell()
      throws Exception {
    // 16 KiB rings, messages of 200 KiB: each is many records, and the reader empties the ring
    // and gives the token back between them. Host to enclave with a large answer while the host's
    // caller sleeps (spin 0); enclave to a host with no caller (its doorbell thread reads the
    // request half at a time and must ask for the rest).
    byte[] big = new byte[200 << 10];
    new Random(5).nextBytes(big);
    byte[] reversedBig = reversed(big);
    for (ChannelPair.Bells bells : ChannelPair.Bells.values()) {
      ChannelPair p = pairs.open(1 << 14, bells).start(TestBytes::reversed,
          TestBytes::reversed, 1 << 20, Duration.ZERO);
      int slow = countSlow(p, "large messages, " + bells, 8, i -> {
        sleep(3);
        if (i % 2 == 0) {
          assertThat(p.hostEnd.call(big)).isEqualTo(reversedBig);
        } else {
          assertThat(p.enclaveEnd.call(big)).isEqualTo(reversedBig);
        }
      });
      assertThat(slow).as("large calls slower than 40 ms of 8 (%s)", bells).isLessThan(4);
      p.close();
    }
  }

  /** One numbered step of a scenario. */
  @FunctionalInterface
  private interface Step {
    void run(int i) throws Exception;
  }

  /**
   * Runs {@code steps} steps on another thread, failing if they take longer than {@link
   * #DEADLINE} in all (a hang, which is what a lost wake-up on pipes is: the pair is then closed,
   * which ends the waiting call); returns how many took longer than 40 ms each.
   */
  private int countSlow(ChannelPair p, String what, int steps, Step step) throws Exception {
    Callable<Integer> body = () -> {
      int slow = 0;
      for (int i = 0; i < steps; i++) {
        long start = System.nanoTime();
        step.run(i);
        if (System.nanoTime() - start > SLOW_NANOS) {
          slow++;
        }
      }
      return slow;
    };
    Future<Integer> result = runner.submit(body);
    try {
      return result.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      p.close();
      result.cancel(true);
      return fail("%s: not done after %s, a call waits for a ring that never comes", what,
          DEADLINE);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }
}
