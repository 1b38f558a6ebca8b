package dev.cella.protocol.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The polling loops read the clock only every few rounds while they spin: a loop that went by a
 * stale reading would never see its budget run out and would spin for as long as it waits. Each
 * side's CPU time while it waits tells: a poller that stops after its 50 µs budget uses almost
 * none of a 400 ms wait, one that spins uses a good part of it even on a busy machine.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SpinStopsTest {
  private static final long WAIT_NANOS = 400_000_000L;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  @RegisterExtension final ChannelPairs pairs = new ChannelPairs();
  private ChannelPair pair;


  @Test
  void aCallWhoseAnswerIsLate_sleepsOnceItsBudgetRunsOut_insteadOfSpinning() throws Exception {
    pair = pairs.open(1 << 16).start(frame -> frame, frame -> {
      if (frame[0] == 1) {
        try {
          Thread.sleep(Duration.ofNanos(WAIT_NANOS));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return frame;
    }, 1 << 20, Duration.ofNanos(50_000));
    for (int i = 0; i < 50; i++) {
      pair.hostEnd.call(new byte[] {0}); // hot: both sides polling, no ring
    }
    long sleeps = pair.hostEnd.sleeps();
    long cpu = THREADS.getCurrentThreadCpuTime();
    assertThat(pair.hostEnd.call(new byte[] {1})).containsExactly(1);
    long used = THREADS.getCurrentThreadCpuTime() - cpu;
    assertThat(pair.hostEnd.sleeps()).as("the caller's sleeps").isGreaterThan(sleeps);
    assertThat(used).as("the caller's CPU time over a %d ms wait", WAIT_NANOS / 1_000_000)
        .isLessThan(WAIT_NANOS / 8);
  }

  @Test
  void anIdleServingSide_sleepsOnItsDoorbellAfterItsBudget_insteadOfSpinning() throws Exception {
    pair = pairs.open(1 << 16)
        .start(frame -> frame, frame -> frame, 1 << 20, Duration.ofNanos(50_000));
    for (int i = 0; i < 50; i++) {
      pair.hostEnd.call(new byte[] {0}); // the doorbell thread serves them inline, hot
    }
    long cpu = doorbellThreadsCpu("cella-doorbell enclave");
    Thread.sleep(Duration.ofNanos(WAIT_NANOS));
    long used = doorbellThreadsCpu("cella-doorbell enclave") - cpu;
    assertThat(used).as("the enclave's doorbell threads' CPU time over %d ms idle",
        WAIT_NANOS / 1_000_000).isLessThan(WAIT_NANOS / 8);
    assertThat(pair.hostEnd.call(new byte[] {2})).containsExactly(2); // and it wakes again
  }

  private static long doorbellThreadsCpu(String name) {
    long total = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals(name)) {
        total += Math.max(0, THREADS.getThreadCpuTime(t.threadId()));
      }
    }
    return total;
  }
}
