package dev.cella.backend.process;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cella.Enclave;
import dev.cella.EnclaveLimits;
import dev.cella.EnclaveOptions;
import dev.cella.backend.process.hostcalls.HostCallsApp;
import dev.cella.backend.process.hostcalls.Holder;
import dev.cella.host.EnclaveManager;
import dev.cella.testing.TestBundles;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host serves at most the manifest's {@code limits.threads} of an enclave's own host calls
 * (those nested in no host call) at once; one more fails inside the enclave with {@code
 * RESOURCE_EXHAUSTED} at once, and once a place is free the next is served.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostCallBoundTest {
  @TempDir Path folder;

  @Test
  void enclaveHostCallsOverTheManifestsThreads_failInsideWithResourceExhausted_thenPassAgain()
      throws Exception {
    var info = new ProcessBackend().info();
    assumeTrue(info.isAvailable(), () -> info.unavailabilityCause().orElse(""));
    Path bundle = TestBundles.builder("bounded", HostCallsApp.class)
        .limits(new EnclaveLimits(64, 1, 1 << 20, 32)).build(folder);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    Holder holder = new Holder() {
      @Override
      public String hold() {
        entered.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return "released";
      }

      @Override
      public String ping() {
        return "pong";
      }
    };
    try (EnclaveManager manager = EnclaveManager.create()) {
      Enclave enclave = manager.load("bounded", bundle, EnclaveOptions.builder()
          .backend("process").hostService(Holder.class, holder).build());
      try {
        assertThat(run(enclave, "hold")).isEqualTo("holding");
        // The enclave's held call reaches the host on its own thread: probe once it is there.
        assertThat(entered.await(10, TimeUnit.SECONDS)).as("the held host call arrived").isTrue();
        assertThat(run(enclave, "probe")).startsWith("RESOURCE_EXHAUSTED")
            .contains("limits.threads");
        release.countDown();
        assertThat(run(enclave, "join")).isEqualTo("released");
        assertThat(run(enclave, "ping")).isEqualTo("pong");
      } finally {
        release.countDown();
        enclave.close();
      }
    }
  }

  private static String run(Enclave enclave, String command) {
    return new String(enclave.run(command.getBytes(UTF_8)), UTF_8);
  }
}
