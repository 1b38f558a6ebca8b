package dev.cella.backend.sim;

import java.net.URL;
import java.net.URLClassLoader;

/**
 * Loads an enclave's classes from its bundle's jars. Its parent is the JDK's platform class
 * loader, so the enclave sees the JDK and its bundle, never the host's class path: a class the
 * host and the bundle both have resolves to the bundle's copy inside the enclave.
 *
 * <p>Thread-safe (parallel capable).
 */
final class EnclaveClassLoader extends URLClassLoader {
  static {
    registerAsParallelCapable();
  }

  EnclaveClassLoader(String enclaveName, URL[] jars) {
    super("cella-enclave:" + enclaveName, jars, ClassLoader.getPlatformClassLoader());
  }
}
