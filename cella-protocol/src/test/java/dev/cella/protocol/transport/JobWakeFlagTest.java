package dev.cella.protocol.transport;

import static dev.cella.protocol.transport.RingLayout.FIRST;
import static dev.cella.protocol.transport.RingLayout.KIND_REQUEST;
import static dev.cella.protocol.transport.RingLayout.LAST;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The enclave's doorbell thread gives up the read token while it runs a job without asking the
 * host to ring: it looks at the ring again when the job is done. So back-to-back calls never
 * touch the wake flag, and a request that comes during a job is served after it, unrung — or,
 * when the job outlasts the monitor's tick, by the successor the monitor starts. The test is the
 * host: it writes the requests and reads the answers itself, ringing when asked to.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JobWakeFlagTest {
  @RegisterExtension final ChannelPairs pairs = new ChannelPairs();
  private ChannelPair pair;
  private RingWriter toEnclave;
  private RingReader fromEnclave;
  private final MessageAssembler assembler = new MessageAssembler(1 << 20);

  private void start(Endpoint.Handler onEnclave) throws Exception {
    pair = pairs.open(1 << 16)
        .startEnclaveOnly(onEnclave, b -> b.spin(Duration.ofMillis(10)));
    Endpoint.Rings rings = pair.host.hostRings();
    toEnclave = rings.writer;
    fromEnclave = rings.reader;
  }

  @Test
  void whileTheServerRunsAJob_theHostIsNotAskedToRing() throws Exception {
    AtomicInteger askedToRing = new AtomicInteger();
    // The job runs on the enclave's doorbell thread while this thread only polls for its answer.
    start(frame -> {
      if (toEnclave.takeWakeRequest()) {
        askedToRing.incrementAndGet();
      }
      return frame;
    });
    for (long id = 1; id <= 50; id++) {
      send(id);
      assertThat(awaitAnswer()).isEqualTo(id);
    }
    assertThat(askedToRing).as("jobs during which the host was asked to ring").hasValue(0);
  }

  @Test
  void aRequestThatComesDuringAShortJob_isServedAfterIt() throws Exception {
    AtomicInteger stage = new AtomicInteger(); // 1: the first job runs; 2: the second is written
    start(frame -> {
      if (frame[0] == 1) {
        stage.set(1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (stage.get() != 2 && System.nanoTime() < deadline) {
          Thread.onSpinWait();
        }
      }
      return frame;
    });
    send(1);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (stage.get() != 1) {
      assertThat(System.nanoTime()).as("the first job").isLessThan(deadline);
      Thread.onSpinWait();
    }
    send(2);
    stage.set(2);
    assertThat(List.of(awaitAnswer(), awaitAnswer())).containsExactlyInAnyOrder(1L, 2L);
  }

  @Test
  void aRequestThatComesDuringAJobLongerThanATick_isServedByTheSuccessor() throws Exception {
    CountDownLatch answered = new CountDownLatch(1);
    start(frame -> {
      if (frame[0] == 1) {
        try {
          assertThat(answered.await(20, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return frame;
    });
    send(1);
    Thread.sleep(50); // the first job is running, far longer than the monitor's 1 ms tick
    send(2);
    assertThat(awaitAnswer()).isEqualTo(2L);
    answered.countDown();
    assertThat(awaitAnswer()).isEqualTo(1L);
  }

  /** Writes request {@code id} (its frame is its id's low byte), ringing when asked to. */
  private void send(long id) throws Exception {
    byte[] frame = {(byte) id};
    fromEnclave.cancelWake(); // this thread polls for the answers
    assertThat(toEnclave.tryWrite(KIND_REQUEST, (byte) (FIRST | LAST), id, 0, frame.length, 0,
        new byte[0], frame, 0, frame.length)).isTrue();
    if (toEnclave.takeWakeRequest()) {
      pair.hostBell.ring();
    }
  }

  private long awaitAnswer() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      if (fromEnclave.poll(assembler)) {
        Message answer = assembler.takeCompleted();
        if (answer != null) {
          return answer.callId();
        }
        continue;
      }
      assertThat(System.nanoTime()).as("an answer").isLessThan(deadline);
      Thread.onSpinWait();
    }
  }
}
