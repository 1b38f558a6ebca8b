package dev.cella.bench;

import dev.cella.Enclave;
import dev.cella.EnclaveOptions;
import dev.cella.host.EnclaveManager;
import dev.cella.testing.TestBundles;
import dev.cella.testing.apps.EchoApp;
import dev.cella.testing.apps.Ledger;
import dev.cella.testing.apps.LedgerImpl;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
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
 * A typed call with a small record argument, against the bytes API carrying an input of about
 * the same size and against a direct Java call of the same implementation (the floor). Issue
 * target: the typed call's overhead over the direct call is at most twice the bytes call's.
 * Run with {@code -prof gc} for bytes allocated per call.
 *
 * <p>Run: {@code cella-bench/run TypedCallBenchmark -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TypedCallBenchmark {
  @Param("sim")
  public String backend;

  private Path folder;
  private EnclaveManager manager;
  private Ledger typed;
  private Enclave enclave;
  private Ledger direct;
  private Ledger.Entry entry;
  private byte[] bytesInput;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    folder = Files.createTempDirectory("cella-bench");
    Path bundle = TestBundles.builder("typed-bench", EchoApp.class)
        .service(Ledger.class, LedgerImpl.class).build(folder);
    manager = EnclaveManager.create();
    enclave = manager.load("typed-bench", bundle, EnclaveOptions.builder().backend(backend).build());
    typed = enclave.service(Ledger.class);
    direct = new LedgerImpl(null);
    entry = new Ledger.Entry("alice", 1234, Optional.of("memo"), List.of("a", "b"));
    // About the size of the record's encoding, so both calls move similar bytes.
    bytesInput = "echo:alice-1234-memo-a-b".getBytes(StandardCharsets.UTF_8);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    manager.close();
    try (var files = Files.walk(folder)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  public long directJavaCall() {
    return direct.weigh(entry);
  }

  @Benchmark
  public byte[] bytesCall() {
    return enclave.run(bytesInput);
  }

  @Benchmark
  public long typedCall() {
    return typed.weigh(entry);
  }
}
