package dev.cella.enclave.internal.runner;

import dev.cella.EnclaveIdentity;
import dev.cella.PlatformKind;
import dev.cella.bundle.Bundle;
import dev.cella.bundle.Manifest;
import dev.cella.bundle.InvalidBundleException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The runner's own measurement of what it runs: it reads and verifies the bundle file with the
 * same code the platform uses, computes its identity, and checks that the jars on its class path
 * are exactly the bundle's jars, byte for byte — no jar more, none less, none changed. The
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

  /** Measures {@code bundleFile} and compares {@code classPath} with its jars (process platform). */
  static MeasuredStart of(Path bundleFile, List<Path> classPath) {
    return of(bundleFile, classPath, PlatformKind.PROCESS);
  }

  /**
   * Measures {@code bundleFile} and compares {@code classPath} with its jars; the identity names
   * {@code platform}, the platform this runner runs on.
   */
  static MeasuredStart of(Path bundleFile, List<Path> classPath, PlatformKind platform) {
    Bundle bundle;
    try {
      bundle = Bundle.open(bundleFile);
    } catch (IOException | InvalidBundleException e) {
      return refused("the runtime cannot read its bundle: " + e.getMessage());
    } catch (RuntimeException e) {
      return refused("the runtime cannot measure its bundle: " + e.getClass().getName());
    }
    String mismatch = compare(bundle.libraries(), classPath);
    if (mismatch != null) {
      return refused("the code on the runtime's class path is not the bundle's: " + mismatch);
    }
    return new MeasuredStart(bundle.identity(platform), bundle.manifest(), null);
  }

  private static MeasuredStart refused(String why) {
    return new MeasuredStart(null, null, why);
  }

  /** Null when the class path holds exactly the bundle's jars; else what differs. */
  static String compare(SequencedMap<String, byte[]> libraries, List<Path> classPath) {
    Map<String, Path> onPath = new TreeMap<>();
    for (Path jar : classPath) {
      Path name = jar.getFileName();
      if (name == null || onPath.put(name.toString(), jar) != null) {
        return "class path entry " + jar + " is not a uniquely named jar";
      }
    }
    if (!onPath.keySet().equals(new TreeSet<>(libraries.keySet()))) {
      List<String> extra = new ArrayList<>(onPath.keySet());
      extra.removeAll(libraries.keySet());
      List<String> missing = new ArrayList<>(libraries.keySet());
      missing.removeAll(onPath.keySet());
      return "jars not in the bundle " + extra + ", bundle jars missing " + missing;
    }
    for (Map.Entry<String, byte[]> library : libraries.entrySet()) {
      byte[] loaded;
      try {
        loaded = Files.readAllBytes(onPath.get(library.getKey()));
      } catch (IOException e) {
        return "cannot read " + onPath.get(library.getKey()) + ": " + e.getMessage();
      }
      // Nothing here is secret, so a fast comparison (not a constant-time one) will do.
      if (!Arrays.equals(loaded, library.getValue())) {
        return library.getKey() + " differs from the bundle's copy";
      }
    }
    return null;
  }
}
