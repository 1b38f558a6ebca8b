package dev.cella.backend.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cella.protocol.Frames;
import dev.cella.testing.TestBundles;
import dev.cella.testing.apps.EchoApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An enclave that has been called and then left alone stops spinning: once its spin budget
 * (at most a millisecond) is spent, its threads block, and the sandbox uses next to no CPU.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IdleCpuTest {
  /** What a JVM that only blocks still uses: its periodic task thread, nothing that spins. */
  private static final Duration MOST_WHILE_IDLE = Duration.ofMillis(60);
  @TempDir Path folder;

  @Test
  void anIdleEnclave_usesNoCpu_andWakesForTheNextCall() throws Exception {
    var info = new ProcessBackend().info();
    assumeTrue(info.isAvailable(), () -> info.unavailabilityCause().orElse(""));
    Path bundle = TestBundles.builder("idle", EchoApp.class).build(folder);
    try (RawEnclave enclave = RawEnclave.launch(bundle, folder.resolve("lib"))) {
      Frames.result(enclave.initialize(enclave.identity));
      for (int i = 0; i < 2000; i++) {
        enclave.run("echo:" + i);
      }
      ProcessHandle sandbox = enclave.connection.enclaveProcess().orElseThrow();
      // Let the JIT finish what the calls gave it, then measure two quiet seconds.
      Thread.sleep(1500);
      Duration before = cpu(sandbox);
      // Starting and 2000 calls take CPU: none read means the readings are missing, not zero.
      assertThat(before).as("CPU the sandbox used to start and serve").isPositive();
      Thread.sleep(2000);
      Duration used = cpu(sandbox).minus(before);
      assertThat(used).as("CPU the idle sandbox used in 2 s").isLessThan(MOST_WHILE_IDLE);
      assertThat(enclave.run("echo:awake")).isEqualTo("awake");
    }
  }

  /** The CPU time of the sandbox and every process in it. */
  private static Duration cpu(ProcessHandle sandbox) {
    return Stream.concat(Stream.of(sandbox), sandbox.descendants())
        .map(p -> p.info().totalCpuDuration())
        .flatMap(Optional::stream)
        .reduce(Duration.ZERO, Duration::plus);
  }
}
