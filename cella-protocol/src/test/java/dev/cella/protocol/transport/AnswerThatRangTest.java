package dev.cella.protocol.transport;

import static dev.cella.protocol.transport.RingLayout.FIRST;
import static dev.cella.protocol.transport.RingLayout.LAST;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An answer that rang found the other side asleep: the answer cannot be followed by anything
 * sooner than that side's wake-up, so the inline doorbell thread sleeps at once instead of
 * polling for its budget (which would only take a core from the thread being woken). The host
 * here is this test on the host's rings: it asks to be woken before every request and reads the
 * answer only after it is all in, so every answer rings.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AnswerThatRangTest {
  private static final int CALLS = 8;

  @TempDir Path folder;
  private ChannelPair pair;

  @AfterEach
  void close() {
    if (pair != null) {
      pair.close();
    }
  }

  @Test
  void answersThatRang_letTheInlineServerSleepAtOnce() throws Exception {
    pair = new ChannelPair(folder, 1 << 16);
    pair.enclaveEnd = Endpoint.builder(pair.enclave.enclaveRings(), pair.enclaveBell, f -> f)
        .name("enclave").inlineServer(true).maxMessageBytes(1 << 20)
        .spin(Duration.ofMillis(10)).build();
    pair.hostEnd = Endpoint.builder(pair.host.hostRings(), pair.hostBell, f -> f).name("unused")
        .build(); // never started: the test reads and writes the host's rings itself
    RingWriter toEnclave = pair.host.hostRings().writer;
    RingReader fromEnclave = pair.host.hostRings().reader;
    MessageAssembler assembler = new MessageAssembler(1 << 20);
    pair.enclaveEnd.start();
    Thread.sleep(50); // past the enclave's first budget: asleep on its doorbell
    long before = pair.enclaveEnd.sleeps();
    for (int i = 1; i <= CALLS; i++) {
      fromEnclave.requestWake();
      byte[] payload = {(byte) i};
      assertThat(toEnclave.tryWrite(RingLayout.KIND_REQUEST, (byte) (FIRST | LAST), i, 0, 1, 0,
          new byte[0], payload, 0, 1)).isTrue();
      toEnclave.takeWakeRequest();
      pair.hostBell.ring();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      Message answer = null;
      while (answer == null) {
        assertThat(System.nanoTime()).as("an answer").isLessThan(deadline);
        if (fromEnclave.poll(assembler)) {
          answer = assembler.takeCompleted();
        } else {
          Thread.sleep(1);
        }
      }
      assertThat(answer.callId()).isEqualTo(i);
    }
    // Polling on for its 10 ms, it would catch each next request (sent about 1 ms after the
    // answer) without ever sleeping. Its last sleep may come a moment after the last answer.
    long waited = System.nanoTime();
    while (pair.enclaveEnd.sleeps() - before < CALLS
        && System.nanoTime() - waited < TimeUnit.SECONDS.toNanos(1)) {
      Thread.sleep(1);
    }
    assertThat(pair.enclaveEnd.sleeps() - before)
        .as("sleeps of the enclave's doorbell thread after answers that rang")
        .isGreaterThanOrEqualTo(CALLS - 1);
  }
}
