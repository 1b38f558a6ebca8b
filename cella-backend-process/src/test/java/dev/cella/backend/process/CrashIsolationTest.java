package dev.cella.backend.process;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cella.Enclave;
import dev.cella.EnclaveException;
import dev.cella.EnclaveLimits;
import dev.cella.EnclaveOptions;
import dev.cella.EnclaveState;
import dev.cella.EnclaveStatus.Code;
import dev.cella.backend.process.apps.ProbeApp;
import dev.cella.host.EnclaveManager;
import dev.cella.protocol.Frames;
import dev.cella.testing.TestBundles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An enclave process that dies — SIGKILL, System.exit, OutOfMemoryError — fails pending and later
 * calls with UNAVAILABLE within a second; the host lives on, close() works, and neither a process
 * nor a shared-memory file is left behind.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CrashIsolationTest {
  private static final Duration PROMPTLY = Duration.ofSeconds(1);
  @TempDir static Path folder;
  private static Path bundle;
  private static Path smallHeapBundle;
  private static ExecutorService pool;

  @BeforeAll
  static void build() throws Exception {
    bundle = TestBundles.builder("crash", ProbeApp.class).build(folder);
    smallHeapBundle = TestBundles.builder("oom", ProbeApp.class)
        .limits(new EnclaveLimits(64, 16, 1 << 20, 32)).build(folder);
    pool = Executors.newCachedThreadPool();
  }

  @AfterAll
  static void stop() {
    pool.shutdownNow();
  }

  @BeforeEach
  void requireBackend() {
    var info = new ProcessBackend().info();
    assumeTrue(info.isAvailable(), () -> info.unavailabilityCause().orElse(""));
  }

  @Test
  void sigkill_failsThePendingCallAndLaterOnes_andCloseCleansUp() throws Exception {
    try (RawEnclave enclave = RawEnclave.launch(bundle, folder.resolve("kill-lib"))) {
      Frames.result(enclave.initialize(enclave.identity));
      ProcessHandle child = enclave.connection.enclaveProcess().orElseThrow();
      Future<String> pending = pool.submit(() -> enclave.run("sleep:20000"));
      Thread.sleep(200);
      long start = System.nanoTime();
      assertThat(child.destroyForcibly()).isTrue();
      assertUnavailable(pending, start);
      assertThatThrownBy(() -> enclave.run("echo:later")).isInstanceOfSatisfying(
          EnclaveException.class, e -> assertThat(e.code()).isEqualTo(Code.UNAVAILABLE));
      assertThat(enclave.connection.isAlive()).isFalse();
      enclave.close();
      enclave.close();
      assertNothingLeft(enclave.connection, "crash");
    }
  }

  @Test
  void systemExit_inside_failsTheCall_andTheEnclaveIsCrashed() throws Exception {
    try (EnclaveManager manager = EnclaveManager.create()) {
      Enclave enclave = manager.load("exits", bundle, process());
      long start = System.nanoTime();
      Future<byte[]> pending = pool.submit(() -> enclave.run("exit:7".getBytes(UTF_8)));
      assertUnavailable(pending, start);
      assertThat(enclave.state()).isEqualTo(EnclaveState.CRASHED);
      assertThatThrownBy(() -> enclave.run("echo:x".getBytes(UTF_8)))
          .isInstanceOfSatisfying(EnclaveException.class,
              e -> assertThat(e.code()).isEqualTo(Code.UNAVAILABLE));
      enclave.close();
      assertThat(enclave.state()).isEqualTo(EnclaveState.CLOSED);
      assertNoProcessNamed("exits");
      // The host lives on and loads the next enclave.
      try (Enclave next = manager.load("after-exit", bundle, process())) {
        assertThat(new String(next.run("echo:fine".getBytes(UTF_8)), UTF_8)).isEqualTo("fine");
      }
    }
    assertNoChannelFiles();
  }

  @Test
  void outOfMemory_inside_killsTheEnclave_notTheHost() throws Exception {
    try (EnclaveManager manager = EnclaveManager.create()) {
      Enclave enclave = manager.load("oom", smallHeapBundle, process());
      long start = System.nanoTime();
      Future<byte[]> pending = pool.submit(() -> enclave.run("oom".getBytes(UTF_8)));
      assertThatThrownBy(() -> pending.get(20, TimeUnit.SECONDS)).cause()
          .isInstanceOfSatisfying(EnclaveException.class,
              e -> assertThat(e.code()).isEqualTo(Code.UNAVAILABLE))
          .hasMessageContaining("OutOfMemoryError");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
      assertThat(enclave.state()).isEqualTo(EnclaveState.CRASHED);
      enclave.close();
      assertNoProcessNamed("oom");
    }
    assertNoChannelFiles();
  }

  @Test
  void pendingCallsFromManyThreads_allFail_whenTheProcessDies() throws Exception {
    try (RawEnclave enclave = RawEnclave.launch(bundle, folder.resolve("many-lib"))) {
      Frames.result(enclave.initialize(enclave.identity));
      List<Future<String>> pending = Stream.generate(
          () -> pool.submit(() -> enclave.run("sleep:20000"))).limit(8).toList();
      Thread.sleep(300);
      long start = System.nanoTime();
      enclave.connection.enclaveProcess().orElseThrow().destroyForcibly();
      for (Future<String> call : pending) {
        assertUnavailable(call, start);
      }
    }
  }

  private static EnclaveOptions process() {
    return EnclaveOptions.builder().backend(ProcessBackend.NAME).build();
  }

  private static void assertUnavailable(Future<?> pending, long startNanos) {
    assertThatThrownBy(() -> pending.get(PROMPTLY.toMillis() + 500, TimeUnit.MILLISECONDS))
        .cause().isInstanceOfSatisfying(EnclaveException.class,
            e -> assertThat(e.code()).isEqualTo(Code.UNAVAILABLE));
    assertThat(Duration.ofNanos(System.nanoTime() - startNanos)).isLessThan(PROMPTLY);
  }

  private static void assertNothingLeft(ProcessConnection connection, String name)
      throws Exception {
    Process sandbox = connection.sandboxProcess();
    assertThat(sandbox.waitFor(5, TimeUnit.SECONDS)).isTrue();
    assertNoProcessNamed(name);
    assertNoChannelFiles();
  }

  /** No process of this JVM's descendants runs the enclave named {@code name}. */
  private static void assertNoProcessNamed(String name) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline && !running(name).isEmpty()) {
      Thread.sleep(20);
    }
    assertThat(running(name)).isEmpty();
  }

  private static List<ProcessHandle> running(String name) {
    return ProcessHandle.current().descendants().filter(p -> p.info().arguments()
        .map(a -> List.of(a).contains("-Dcella.enclave.name=" + name)).orElse(false)).toList();
  }

  private static void assertNoChannelFiles() throws IOException {
    Path shm = Path.of("/dev/shm");
    if (Files.isDirectory(shm)) {
      try (Stream<Path> files = Files.list(shm)) {
        assertThat(files.map(p -> p.getFileName().toString()))
            .noneMatch(n -> n.startsWith("cella-crash-") || n.startsWith("cella-exits-")
                || n.startsWith("cella-oom-") || n.startsWith("cella-after-exit-"));
      }
    }
  }
}
