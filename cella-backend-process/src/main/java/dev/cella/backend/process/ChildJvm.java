package dev.cella.backend.process;

import dev.cella.EnclaveLimits;
import java.util.ArrayList;
import java.util.List;

/**
 * The options of the enclave's JVM: its heap from the manifest, with a young generation sized
 * for its frames; the serial collector (an enclave's heap is small, and it starts fastest); death
 * on the first {@link OutOfMemoryError}, so that an enclave in an unknown state never answers
 * again; the JVM's own messages and its logging on standard error (standard output is a
 * doorbell); no attach listener, no perf-data file, no JVM signal handlers that would print
 * thread dumps to the host; native access for the runner's {@code prctl}; class-data sharing
 * when the JDK has an archive, or the backend's AOT cache ({@link AotCache}).
 *
 * <p>Thread-safe; stateless.
 */
final class ChildJvm {
  private static final boolean TRACE = Boolean.getBoolean("cella.process.startTrace");

  private ChildJvm() {}

  static List<String> options(EnclaveLimits limits, String enclaveName) {
    List<String> options = new ArrayList<>(fixedOptions(limits, enclaveName));
    if (TRACE) {
      options.add("-Dcella.startTrace=true");
    }
    return List.copyOf(options);
  }

  /**
   * Prints a time stamp of the host's side of a start on standard error, with {@code
   * -Dcella.process.startTrace=true} (see the runner's StartTrace for the enclave's side).
   */
  static void trace(String step) {
    if (TRACE) {
      System.err.println("cella-start-trace " + step + " " + System.nanoTime() / 1000);
    }
  }

  /**
   * The young generation, in MiB: room for two of the largest frames (each call's request and
   * answer are fresh arrays in the enclave), at least 8 MiB, at most a third of the heap. With
   * the serial collector's default (a third of a 16 MiB starting heap) every fourth 1 MiB call
   * paid a young collection, and a frame larger than the young generation went straight to the
   * old one.
   */
  static int youngMebibytes(EnclaveLimits limits) {
    long frames = 2L * (((long) limits.maxFrameBytes() + (1 << 20) - 1) >> 20);
    return (int) Math.min(limits.heapMebibytes() / 3, Math.max(8, frames));
  }

  private static List<String> fixedOptions(EnclaveLimits limits, String enclaveName) {
    int heap = limits.heapMebibytes();
    int young = youngMebibytes(limits);
    return List.of(
        "-Xmx" + heap + "m",
        "-Xms" + Math.min(heap, young + 16) + "m",
        "-Xmn" + young + "m",
        "-XX:+UseSerialGC",
        "-XX:+ExitOnOutOfMemoryError",
        "-XX:+DisplayVMOutputToStderr",
        // Unified logging's warnings go to standard output by default, which is a doorbell.
        "-Xlog:disable",
        "-Xlog:all=warning:stderr",
        "-XX:-UsePerfData",
        "-XX:+DisableAttachMechanism",
        "-Xrs",
        "-Xshare:auto",
        "--enable-native-access=ALL-UNNAMED",
        "-Djava.io.tmpdir=/tmp",
        "-Dcella.enclave.name=" + enclaveName);
  }

  /**
   * {@code options} with an AOT cache option instead of {@code -Xshare:auto}, which the JVM does
   * not take together with one (the cache includes what class-data sharing would map).
   */
  static List<String> withAot(List<String> options, String aotOption) {
    List<String> with = new ArrayList<>(options);
    with.remove("-Xshare:auto");
    with.add(aotOption);
    return List.copyOf(with);
  }
}
