package dev.cella.protocol.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A side that stops reading its ring: the writer gives it up after the write timeout and the
 * channel fails with {@code UNAVAILABLE}, instead of blocking forever; a side that reads late,
 * within the timeout, is waited for.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WriteTimeoutTest {
  private static final int RING = 1 << 12;
  private static final byte[] LARGER_THAN_THE_RING = new byte[RING * 8];

  @RegisterExtension final ChannelPairs pairs = new ChannelPairs();
  private ChannelPair pair;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

  @AfterEach
  void close() {
    threads.shutdownNow();
  }

  @Test
  void call_toASideThatNeverReads_failsUnavailableAfterTheWriteTimeout() throws Exception {
    pair = pairs.open(RING);
    pair.hostEnd = host(Duration.ofMillis(300));
    pair.enclaveEnd = enclave(); // built, never started: nothing reads the host's ring
    pair.hostEnd.start();

    long start = System.nanoTime();
    assertThatThrownBy(() -> pair.hostEnd.call(LARGER_THAN_THE_RING))
        .isInstanceOfSatisfying(EnclaveException.class,
            e -> assertThat(e.code()).isEqualTo(Code.UNAVAILABLE))
        .hasMessageContaining("stopped reading");
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(tookMillis).isBetween(300L, 10_000L);
    assertThat(pair.hostEnd.isAlive()).isFalse();
    assertThatThrownBy(() -> pair.hostEnd.call(new byte[1]))
        .isInstanceOfSatisfying(EnclaveException.class,
            e -> assertThat(e.code()).isEqualTo(Code.UNAVAILABLE));
  }

  @Test
  void answer_toASideThatStoppedReading_failsTheEnclavesChannelToo() throws Exception {
    pair = pairs.open(RING);
    pair.hostEnd = host(Duration.ofSeconds(30)); // built, never started: the host reads nothing
    pair.enclaveEnd = Endpoint.builder(pair.enclave.enclaveRings(), pair.enclaveBell, f -> f)
        .name("enclave").inlineServer(true).maxMessageBytes(1 << 20)
        .writeTimeout(Duration.ofMillis(300)).build();
    pair.enclaveEnd.start();

    assertThatThrownBy(() -> pair.enclaveEnd.call(LARGER_THAN_THE_RING))
        .isInstanceOfSatisfying(EnclaveException.class,
            e -> assertThat(e.code()).isEqualTo(Code.UNAVAILABLE))
        .hasMessageContaining("stopped reading");
    assertThat(pair.enclaveEnd.failureOrNull()).contains("enclave", "stopped reading");
  }

  @Test
  void call_toASideThatStartsReadingWithinTheTimeout_completes() throws Exception {
    pair = pairs.open(RING);
    pair.hostEnd = host(Duration.ofSeconds(20));
    pair.enclaveEnd = enclave();
    pair.hostEnd.start();

    Future<byte[]> answer = threads.submit(() -> pair.hostEnd.call(LARGER_THAN_THE_RING));
    Thread.sleep(200); // the host's ring is full by now and its writer waits
    pair.enclaveEnd.start();

    assertThat(answer.get(30, TimeUnit.SECONDS)).hasSize(LARGER_THAN_THE_RING.length);
    assertThat(pair.hostEnd.isAlive()).isTrue();
  }

  @Test
  void writeTimeout_notPositive_isRefused() throws Exception {
    pair = pairs.open(RING);
    Endpoint.Builder builder = Endpoint.builder(pair.host.hostRings(), pair.hostBell, f -> f);
    assertThatThrownBy(() -> builder.writeTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.writeTimeout(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private Endpoint host(Duration writeTimeout) {
    return Endpoint.builder(pair.host.hostRings(), pair.hostBell, f -> f).name("host")
        .maxMessageBytes(1 << 20).writeTimeout(writeTimeout).build();
  }

  private Endpoint enclave() {
    return Endpoint.builder(pair.enclave.enclaveRings(), pair.enclaveBell, f -> f)
        .name("enclave").inlineServer(true).maxMessageBytes(1 << 20).build();
  }
}
