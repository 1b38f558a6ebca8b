package dev.cella.bench;

import dev.cella.Enclave;
import dev.cella.EnclaveOptions;
import dev.cella.host.EnclaveManager;
import dev.cella.testing.TestBundles;
import dev.cella.testing.apps.MirrorApp;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
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
 * 1 MiB in and 1 MiB out per call into an echo enclave on the {@code process} backend, against
 * the floor measured in the same run: single-thread {@link MemorySegment#copy} of the same 2 MiB
 * (1 MiB from a heap array into off-heap memory, 1 MiB back into another array), which is what
 * moving a call's bytes through shared memory needs at the very least. Bandwidth is 2 MiB divided
 * by the time per operation.
 *
 * <p>Run: {@code cella-bench/run ProcessBandwidthBenchmark} (needs bubblewrap).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// No AOT cache: its training sandbox would run in the background during the first measurements,
// on the same cores, and it does nothing for calls once the enclave is warm.
@Fork(value = 1, jvmArgsAppend = "-Dcella.process.aotCache=false")
public class ProcessBandwidthBenchmark {
  static final int MIB = 1 << 20;

  /** 1 MiB of random bytes. */
  @State(Scope.Benchmark)
  public static class Payload {
    final byte[] input = new byte[MIB];
    final byte[] output = new byte[MIB];
    Arena arena;
    MemorySegment offHeap;

    @Setup(Level.Trial)
    public void fill() {
      new Random(5).nextBytes(input);
      arena = Arena.ofShared();
      offHeap = arena.allocate(MIB, 128);
    }

    @TearDown(Level.Trial)
    public void free() {
      arena.close();
    }
  }

  /** An echo enclave on the process backend, with a frame limit that fits 1 MiB. */
  @State(Scope.Benchmark)
  public static class ProcessEnclave {
    Path folder;
    EnclaveManager manager;
    Enclave enclave;

    @Setup(Level.Trial)
    public void start() throws Exception {
      folder = Files.createTempDirectory("cella-bench");
      Path bundle = TestBundles.builder("bandwidth", MirrorApp.class).build(folder);
      manager = EnclaveManager.create();
      enclave = manager.load("bandwidth", bundle,
          EnclaveOptions.builder().backend("process").build());
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
      manager.close();
      try (var files = Files.walk(folder)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** 1 MiB into the enclave and the same 1 MiB back. */
  @Benchmark
  public byte[] processEcho1MiB(ProcessEnclave enclave, Payload payload) {
    return enclave.enclave.run(payload.input);
  }

  /** The floor: 1 MiB into off-heap memory and back out, with one thread. */
  @Benchmark
  public byte[] memorySegmentCopy2MiB(Payload payload) {
    MemorySegment.copy(payload.input, 0, payload.offHeap, ValueLayout.JAVA_BYTE, 0, MIB);
    MemorySegment.copy(payload.offHeap, ValueLayout.JAVA_BYTE, 0, payload.output, 0, MIB);
    return payload.output;
  }
}
