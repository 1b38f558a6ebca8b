package dev.cella.enclave.internal.runner;

import dev.cella.EnclaveIdentity;
import dev.cella.PlatformKind;
import dev.cella.bundle.InvalidBundleException;
import dev.cella.bundle.LoadedBundle;
import dev.cella.bundle.Manifest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The runner's own measurement of what it runs: the identity of the jars on its class path as the
 * bundle's code, computed with the platform's own bundle code ({@link LoadedBundle}: each jar
 * hashed once, the bundle's manifest and signature from the bundle file), which refuses a class
 * path that is not exactly the bundle's jars — no jar more, none less, none changed. The
 * platform's claim (the identity in the initialization message) is compared with this result
 * before the application starts ({@link StartGate}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param identity what the runner measured, or null when it refuses to start
 * @param manifest the measured bundle's manifest, or null when it refuses to start
 * @param refusalOrNull why it refuses to start, or null
 */
record MeasuredStart(EnclaveIdentity identity, Manifest manifest, String refusalOrNull) {

  /** Measures {@code classPath} as the jars of {@code bundleFile} (process platform). */
  static MeasuredStart of(Path bundleFile, List<Path> classPath) {
    return of(bundleFile, classPath, PlatformKind.PROCESS);
  }

  /**
   * Measures {@code classPath} as the jars of {@code bundleFile}; the identity names {@code
   * platform}, the platform this runner runs on.
   */
  static MeasuredStart of(Path bundleFile, List<Path> classPath, PlatformKind platform) {
    LoadedBundle loaded;
    try {
      loaded = LoadedBundle.measure(bundleFile, classPath);
    } catch (InvalidBundleException e) {
      return refused(e.reason() == InvalidBundleException.Reason.CLASS_PATH_MISMATCH
          ? "the code on the runtime's class path is not the bundle's: " + e.getMessage()
          : "the runtime cannot read its bundle: " + e.getMessage());
    } catch (IOException e) {
      return refused("the runtime cannot read its bundle or class path: " + e.getMessage());
    } catch (RuntimeException e) {
      return refused("the runtime cannot measure its bundle: " + e.getClass().getName());
    }
    return new MeasuredStart(loaded.identity(platform), loaded.manifest(), null);
  }

  private static MeasuredStart refused(String why) {
    return new MeasuredStart(null, null, why);
  }
}
