package dev.cella.bench;

import dev.cella.Enclave;
import dev.cella.EnclaveOptions;
import dev.cella.bench.peer.Hello;
import dev.cella.host.EnclaveManager;
import dev.cella.testing.TestBundles;
import dev.cella.testing.apps.EchoApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cold start on the {@code process} backend: from {@code load} (spawning the sandbox and its JVM,
 * which re-measures the bundle) to the first call answered, attestation excluded, against a bare
 * {@code java Hello} with the same JDK (class-data sharing as the JDK ships it) in the same run.
 * One shot per invocation; the enclave is closed outside the measured time. With the backend's
 * AOT cache (trained once by a first start before the shots) and without it. The enclave is the
 * conformance suite's echo application with the Cella runtime, about the size of the signer
 * example's bundle.
 *
 * <p>Run: {@code cella-bench/run ProcessColdStartBenchmark} (needs bubblewrap). With {@code
 * -jvmArgsPrepend -Dcella.bench.enclaveCpu=true} each shot also prints the CPU time of the
 * enclave's JVM up to the first call answered (outside the measured time), which says more than
 * wall time on a loaded machine; with {@code -jvmArgsPrepend -Dcella.process.startTrace=true}
 * both sides print time stamps of the start's steps.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, batchSize = 1)
@Measurement(iterations = 10, batchSize = 1)
@Fork(1)
public class ProcessColdStartBenchmark {
  private static final byte[] EMPTY = new byte[0];
  /** With {@code -Dcella.bench.enclaveCpu=true}: print each shot's enclave JVM CPU time. */
  private static final boolean REPORT_CPU = Boolean.getBoolean("cella.bench.enclaveCpu");

  /** A bundle and a manager; the enclave of each shot is closed after it. */
  @State(Scope.Benchmark)
  public static class Bundle {
    Path folder;
    Path bundle;
    EnclaveManager manager;
    Enclave enclave;
    int shots;

    @Setup(Level.Trial)
    public void build() throws Exception {
      folder = Files.createTempDirectory("cella-bench");
      // A fresh Cella home: its own platform keys and its own, empty AOT cache.
      System.setProperty("cella.home", folder.resolve("home").toString());
      bundle = TestBundles.builder("cold", EchoApp.class).build(folder);
      manager = EnclaveManager.create();
      if (Boolean.parseBoolean(System.getProperty("cella.process.aotCache", "true"))) {
        awaitAotCache();
      }
    }

    /** The first start trains the AOT cache in the background; the shots measure later ones. */
    private void awaitAotCache() throws Exception {
      try (Enclave first = manager.load("cold-training", bundle,
          EnclaveOptions.builder().backend("process").build())) {
        first.run(EMPTY);
        Path cache = folder.resolve("home/cache/process-aot");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
          try (var files = Files.list(cache)) {
            if (files.anyMatch(f -> f.getFileName().toString().endsWith(".aot"))) {
              return;
            }
          } catch (IOException notYet) {
            // The folder appears with the training.
          }
          Thread.sleep(200);
        }
        throw new IllegalStateException("no AOT cache was trained within 5 minutes");
      }
    }

    @TearDown(Level.Invocation)
    public void closeEnclave() {
      if (enclave != null) {
        if (REPORT_CPU) {
          reportEnclaveCpu();
        }
        enclave.close();
        enclave = null;
      }
    }

    /**
     * Prints the CPU time the enclave's JVM has used so far (from exec to the first call
     * answered): the sum over its threads of {@code /proc/PID/task/TID/schedstat}, and the
     * threads that used more than 5 ms.
     */
    private static void reportEnclaveCpu() {
      for (ProcessHandle p : ProcessHandle.current().descendants().toList()) {
        if (!p.info().command().map(c -> c.endsWith("/bin/java")).orElse(false)) {
          continue;
        }
        long total = 0;
        StringBuilder threads = new StringBuilder();
        try (var tasks = Files.list(Path.of("/proc/" + p.pid() + "/task"))) {
          for (Path task : tasks.toList()) {
            long nanos = Long.parseLong(Files.readString(task.resolve("schedstat")).split(" ")[0]);
            total += nanos;
            if (nanos > 5_000_000) {
              threads.append(", ").append(Files.readString(task.resolve("comm")).strip())
                  .append(' ').append(nanos / 1_000_000);
            }
          }
        } catch (IOException | RuntimeException gone) {
          continue;
        }
        System.err.println("enclave JVM CPU to the first call answered: " + total / 1_000_000
            + " ms" + threads);
      }
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
      manager.close();
      try (var files = Files.walk(folder)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Load the echo enclave on the process backend and answer one empty call. */
  @Benchmark
  public byte[] processLoadAndFirstCall(Bundle state) {
    state.enclave = state.manager.load("cold-" + state.shots++, state.bundle,
        EnclaveOptions.builder().backend("process").build());
    return state.enclave.run(EMPTY);
  }

  /** The same without the AOT cache: what every start cost before it. */
  @Benchmark
  @Fork(value = 1, jvmArgsAppend = "-Dcella.process.aotCache=false")
  public byte[] processLoadAndFirstCallWithoutAotCache(Bundle state) {
    return processLoadAndFirstCall(state);
  }

  /** The baseline: a bare {@code java Hello} with the same JDK, start to exit. */
  @Benchmark
  public int javaHello() throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Path classes = Path.of(Hello.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Process hello = new ProcessBuilder(List.of(java, "-cp", classes.toString(),
        Hello.class.getName())).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    return hello.waitFor();
  }
}
