package dev.cella.protocol.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A message larger than the ring streams through it record by record, for longer than the poll
 * budget: while it moves, neither side may fall asleep on its doorbell and wait to be rung for the
 * next record, or every large call pays wake-ups the transfer never needed. The budget here (5
 * ms) is shorter than moving 32 MiB through a 64 KiB ring, so a side that went by the clock alone
 * sleeps several times in every call (4 to 9 times here); the bounds (two a call) leave room for
 * a loaded machine that stops a thread for longer than the budget now and then (10 sleeps in 8
 * calls were seen with other tests running beside).
 */
class LargeMessagePollingTest {
  private static final int CALLS = 8;
  private static final int LARGE = 32 << 20;
  private static final Duration SPIN = Duration.ofMillis(5);

  @RegisterExtension final ChannelPairs pairs = new ChannelPairs();
  private ChannelPair pair;


  @Test
  void largeAnswer_streamingIn_keepsTheCallerPolling() throws Exception {
    byte[] answer = new byte[LARGE];
    Arrays.fill(answer, (byte) 7);
    pair = pairs.open(1 << 16)
        .start(frame -> frame, frame -> answer, 64 << 20, SPIN);
    pair.hostEnd.call(new byte[] {1}); // both sides awake and past their first ring
    long before = pair.hostEnd.sleeps();
    for (int i = 0; i < CALLS; i++) {
      assertThat(pair.hostEnd.call(new byte[] {1})).hasSize(LARGE).startsWith(7, 7);
    }
    assertThat(pair.hostEnd.sleeps() - before)
        .as("sleeps of the host's caller while answers streamed in")
        .isLessThanOrEqualTo(2 * CALLS);
  }

  @Test
  void largeRequest_streamingIn_keepsTheServingSidePolling() throws Exception {
    startSizeAnswering();
    long before = pair.enclaveEnd.sleeps();
    callsWithLargeRequests(0);
    assertThat(pair.enclaveEnd.sleeps() - before)
        .as("sleeps of the enclave's doorbell thread while requests streamed in")
        .isLessThanOrEqualTo(2 * CALLS);
  }

  @Test
  void largeRequest_toASleepingSide_thatWakesWhileItStreams_isPolledFor() throws Exception {
    startSizeAnswering();
    long before = pair.hostEnd.sleeps();
    // Each after a pause past the enclave's budget: it sleeps, and the first record rings.
    callsWithLargeRequests(40);
    // The enclave is up and reading long before the last record goes in, so the caller polls for
    // the answer instead of sleeping as it does after a ring that finds the other side asleep.
    assertThat(pair.hostEnd.sleeps() - before)
        .as("sleeps of the host's caller after requests that woke the enclave")
        .isLessThan(CALLS / 2);
  }

  /** An enclave answering with its request's size in MiB, both sides past their first ring. */
  private void startSizeAnswering() throws Exception {
    pair = pairs.open(1 << 16)
        .start(frame -> frame, frame -> new byte[] {(byte) (frame.length >> 20)}, 64 << 20,
            SPIN);
    pair.hostEnd.call(new byte[] {1});
  }

  private void callsWithLargeRequests(long pauseMillis) throws InterruptedException {
    byte[] request = new byte[LARGE];
    for (int i = 0; i < CALLS; i++) {
      Thread.sleep(pauseMillis);
      assertThat(pair.hostEnd.call(request)).containsExactly((byte) (LARGE >> 20));
    }
  }
}
