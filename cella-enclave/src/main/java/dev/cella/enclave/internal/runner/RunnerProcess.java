package dev.cella.enclave.internal.runner;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the process and vm runners share about the JVM they run in: its class path as the
 * measurement must see it, and how the process ends after the start gate refused.
 *
 * <p>Stateless and thread-safe.
 */
final class RunnerProcess {
  /** How long a refused runner waits for its answer to reach the host before it exits. */
  private static final long REFUSAL_EXIT_DELAY_MILLIS = 1000;

  private RunnerProcess() {}

  /** This JVM's class path, as {@link #classPath(String)} splits it. */
  static List<Path> classPath() {
    return classPath(System.getProperty("java.class.path", ""));
  }

  /**
   * The entries of {@code classPath}, empty ones included: the JVM loads classes from the working
   * directory for an empty entry, so the measurement must see it (and refuses it).
   */
  static List<Path> classPath(String classPath) {
    List<Path> jars = new ArrayList<>();
    for (String entry : classPath.split(File.pathSeparator, -1)) {
      jars.add(Path.of(entry));
    }
    return jars;
  }

  /** After a refusal: give the answer time to reach the host, then stop. */
  static void exitSoon() {
    Thread.ofPlatform().daemon().name("cella-refused").start(() -> {
      try {
        Thread.sleep(REFUSAL_EXIT_DELAY_MILLIS);
      } catch (InterruptedException ignored) {
        // Exit now.
      }
      System.exit(3);
    });
  }
}
