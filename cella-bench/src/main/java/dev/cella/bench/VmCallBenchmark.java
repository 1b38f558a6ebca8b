package dev.cella.bench;

import dev.cella.Enclave;
import dev.cella.EnclaveOptions;
import dev.cella.host.EnclaveManager;
import dev.cella.testing.TestBundles;
import dev.cella.testing.apps.EchoApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * An empty bytes call into an enclave on the {@code vm} backend (a QEMU micro-VM, frames over a
 * virtio serial port), against the same call on the {@code process} backend (a sandboxed child
 * JVM, frames over shared memory) measured in the same run. The setup prints how long the VM took
 * from {@code load} to ready (boot, measurement, initialization); under TCG emulation that is a
 * minute or more here.
 *
 * <p>Run: {@code cella-bench/run VmCallBenchmark} (needs QEMU, a kernel, busybox-static and
 * bubblewrap).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class VmCallBenchmark {
  private static final byte[] EMPTY = new byte[0];

  /** An echo enclave on the backend named by {@code backend}. */
  @State(Scope.Benchmark)
  public static class Echo {
    @Param({"vm", "process"})
    public String backend;

    Path folder;
    EnclaveManager manager;
    Enclave enclave;

    @Setup(Level.Trial)
    public void start() throws Exception {
      folder = Files.createTempDirectory("cella-bench");
      Path bundle = TestBundles.builder("bench", EchoApp.class).build(folder);
      manager = EnclaveManager.create();
      long start = System.nanoTime();
      enclave = manager.load("bench-" + backend, bundle,
          EnclaveOptions.builder().backend(backend).build());
      System.out.println("\n" + backend + ": load to ready "
          + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
      manager.close();
      try (var paths = Files.walk(folder)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Benchmark
  public byte[] emptyRun(Echo echo) {
    return echo.enclave.run(EMPTY);
  }
}
