package dev.cella.protocol.transport;

import static dev.cella.protocol.transport.RingLayout.KIND_REQUEST;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The enclave's doorbell thread after an answer that had to ring (the caller had gone to sleep):
 * when calls come back to back it polls on, so that the next call needs no ring and its answer
 * finds the caller polling — else one late answer would make every later call pay two wake-ups;
 * when calls come further apart than its budget's ceiling, it goes straight back to sleep. The
 * test is the host: it writes the requests and reads the answers itself, and says it sleeps by
 * asking the enclave to ring it. The enclave's spin floor is 10 ms, so the timings have margins
 * of milliseconds.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LateAnswerTest {
  private static final long FLOOR_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  @RegisterExtension final ChannelPairs pairs = new ChannelPairs();
  private HandHost host;
  private long nextId = 1;
  private long lastAnswerNanos;

  @BeforeEach
  void start() throws Exception {
    host = HandHost.start(pairs, f -> f, b -> b.spin(Duration.ofNanos(FLOOR_NANOS)));
  }


  @Test
  void backToBack_afterAnAnswerThatRang_theNextCallFindsTheEnclavePolling() throws Exception {
    for (int i = 0; i < 200; i++) {
      call(false);
    }
    int trials = 0;
    int polling = 0;
    for (int round = 0; round < 50 && trials < 5; round++) {
      call(true);
      Boolean rang = callSoonAfter();
      if (rang != null) {
        trials++;
        polling += rang ? 0 : 1;
      }
    }
    assertThat(trials).as("trials not delayed by the machine's load").isEqualTo(5);
    assertThat(polling).as("calls soon after an answer that rang that found the enclave polling")
        .isGreaterThanOrEqualTo(4);
  }

  @Test
  void callsFarApart_afterAnAnswerThatRang_theEnclaveSleepsAtOnce() throws Exception {
    for (int i = 0; i < 5; i++) {
      pause(4 * FLOOR_NANOS); // further apart than the budget's ceiling (the floor here)
      call(true);
    }
    int trials = 0;
    int asleep = 0;
    for (int round = 0; round < 50 && trials < 5; round++) {
      pause(4 * FLOOR_NANOS);
      call(true);
      Boolean rang = callSoonAfter();
      if (rang != null) {
        trials++;
        asleep += rang ? 1 : 0;
      }
    }
    assertThat(trials).as("trials not delayed by the machine's load").isEqualTo(5);
    assertThat(asleep).as("calls soon after an answer that rang that had to ring")
        .isGreaterThanOrEqualTo(4);
  }

  /**
   * A call about 1 ms after the last answer; whether it had to ring, or null when the machine
   * delayed it past half the enclave's spin floor (the trial then says nothing).
   */
  private Boolean callSoonAfter() throws Exception {
    pause(TimeUnit.MILLISECONDS.toNanos(1));
    long gap = System.nanoTime() - lastAnswerNanos;
    boolean rang = call(false);
    return gap < FLOOR_NANOS / 2 ? rang : null;
  }

  /**
   * One call: writes a request (ringing if the enclave asked for it), waits for its answer,
   * asleep — asking to be rung — or polling. Returns whether the request had to ring.
   */
  private boolean call(boolean asleep) throws Exception {
    long id = nextId++;
    byte[] payload = {1, 2, 3};
    // Before the request: the answer may come at once.
    if (asleep) {
      host.fromEnclave.requestWake();
    } else {
      host.fromEnclave.cancelWake();
    }
    boolean rang = host.write(KIND_REQUEST, id, payload);
    assertThat(host.awaitMessage().callId()).isEqualTo(id);
    lastAnswerNanos = System.nanoTime();
    host.fromEnclave.cancelWake();
    return rang;
  }

  private static void pause(long nanos) {
    long until = System.nanoTime() + nanos;
    while (System.nanoTime() < until) {
      LockSupport.parkNanos(until - System.nanoTime());
    }
  }
}
