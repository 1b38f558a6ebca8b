package dev.cella.backend.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.BackendInfo;
import dev.cella.Enclave;
import dev.cella.EnclaveException;
import dev.cella.EnclaveOptions;
import dev.cella.EnclaveStatus.Code;
import dev.cella.host.EnclaveManager;
import dev.cella.spi.Backend;
import dev.cella.spi.EnclaveConnection;
import dev.cella.spi.LaunchRequest;
import dev.cella.testing.TestBundles;
import dev.cella.testing.apps.EchoApp;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A manager closed while one of its enclaves is still loading. */
class ManagerCloseTest {
  @TempDir Path folder;

  /** The sim backend, holding each launch until it is let go. */
  private static final class HeldSim implements Backend {
    final SimBackend sim = new SimBackend();
    final CountDownLatch launching = new CountDownLatch(1);
    final CountDownLatch letGo = new CountDownLatch(1);
    final AtomicReference<EnclaveConnection> launched = new AtomicReference<>();

    @Override
    public String name() {
      return sim.name();
    }

    @Override
    public BackendInfo info() {
      return sim.info();
    }

    @Override
    public EnclaveConnection launch(LaunchRequest request) {
      launching.countDown();
      try {
        letGo.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      EnclaveConnection connection = sim.launch(request);
      launched.set(connection);
      return connection;
    }
  }

  @Test
  void aLoadUnderWayWhenTheManagerCloses_failsAndLeavesNoEnclaveRunning() throws Exception {
    Path bundle = TestBundles.builder("closing", EchoApp.class).build(folder);
    HeldSim backend = new HeldSim();
    EnclaveManager manager = EnclaveManager.create(List.of(backend), folder.resolve("home"));
    CompletableFuture<Enclave> loading = CompletableFuture.supplyAsync(() -> manager.load(
        "closing", bundle, EnclaveOptions.builder().backend(SimBackend.NAME).build()));
    assertThat(backend.launching.await(10, TimeUnit.SECONDS)).isTrue();

    manager.close();
    backend.letGo.countDown();

    assertThatThrownBy(() -> loading.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOfSatisfying(EnclaveException.class,
            e -> assertThat(e.code()).isEqualTo(Code.FAILED_PRECONDITION))
        .hasMessageContaining("closed");
    assertThat(manager.enclaves()).isEmpty();
    assertThat(backend.launched.get()).isNotNull();
    assertThat(backend.launched.get().isAlive()).isFalse();
  }

  @Test
  void aLoadAfterClose_isRefused() throws Exception {
    Path bundle = TestBundles.builder("late", EchoApp.class).build(folder);
    EnclaveManager manager = EnclaveManager.create(List.of(new SimBackend()),
        folder.resolve("home"));
    manager.close();

    assertThatThrownBy(() -> manager.load("late", bundle,
        EnclaveOptions.builder().backend(SimBackend.NAME).build()))
        .isInstanceOfSatisfying(EnclaveException.class,
            e -> assertThat(e.code()).isEqualTo(Code.FAILED_PRECONDITION));
  }
}
