package dev.cella.backend.sim;

import dev.cella.BackendInfo;
import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.PlatformKind;
import dev.cella.SecurityLevel;
import dev.cella.spi.Backend;
import dev.cella.spi.EnclaveConnection;
import dev.cella.spi.LaunchRequest;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The {@code sim} backend: runs the enclave in the host's JVM, in a class loader that sees the
 * JDK and the bundle's jars only. It isolates nothing and its platform key lives on the host: it
 * exists so that enclaves can be developed and tested anywhere, fast, with the same API, bundle
 * and test suite as the isolating backends.
 *
 * <p>Thread-safe.
 */
public final class SimBackend implements Backend {
  /** The name that selects this backend. */
  public static final String NAME = "sim";

  private static final BackendInfo INFO = new BackendInfo(
      NAME, PlatformKind.SIM, SecurityLevel.NONE,
      "simulation in the host JVM: an isolated class loader, no security boundary; development only",
      List.of(
          "enclave code accidentally using host classes: it sees only the JDK and its bundle"),
      List.of(
          "anything the host does: it shares the enclave's process and can read or change all of its memory",
          "forged evidence: the simulated platform key is a file on the host",
          "disclosure of sealed data: the host can derive the sealing keys",
          "rollback of sealed storage: its counter is a host file"),
      Optional.empty());

  /** {@value #NAME}. */
  @Override
  public String name() {
    return NAME;
  }

  @Override
  public BackendInfo info() {
    return INFO;
  }

  @Override
  public EnclaveConnection launch(LaunchRequest request) {
    EnclaveClassLoader loader = new EnclaveClassLoader(request.enclaveName(), urls(request.classPath()));
    try {
      ClassLoader hostLoader = Thread.currentThread().getContextClassLoader();
      UnaryOperator<byte[]> toHost = frame -> {
        // Host code runs with the host's context class loader, not the enclave's.
        Thread thread = Thread.currentThread();
        ClassLoader inside = thread.getContextClassLoader();
        thread.setContextClassLoader(hostLoader);
        try {
          return request.hostCalls().handle(frame);
        } finally {
          thread.setContextClassLoader(inside);
        }
      };
      Class<?> entry = Class.forName(LaunchRequest.RUNTIME_ENTRY, true, loader);
      @SuppressWarnings("unchecked")
      UnaryOperator<byte[]> runtime = (UnaryOperator<byte[]>)
          entry.getConstructor(UnaryOperator.class).newInstance(toHost);
      return new SimConnection(runtime, loader);
    } catch (ClassNotFoundException e) {
      closeQuietly(loader);
      throw new EnclaveException(Code.FAILED_PRECONDITION,
          "the bundle does not carry the Cella enclave runtime (" + LaunchRequest.RUNTIME_ENTRY
              + " is missing); package it with `cella package` or the Maven plugin");
    } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
      closeQuietly(loader);
      Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
      throw new EnclaveException(Code.FAILED_PRECONDITION,
          "the bundle's enclave runtime cannot start in this host: " + cause);
    }
  }

  private static URL[] urls(List<Path> classPath) {
    URL[] urls = new URL[classPath.size()];
    for (int i = 0; i < urls.length; i++) {
      try {
        urls[i] = classPath.get(i).toUri().toURL();
      } catch (MalformedURLException e) {
        throw new EnclaveException(Code.INVALID_ARGUMENT, "bad class path entry " + classPath.get(i));
      }
    }
    return urls;
  }

  private static void closeQuietly(EnclaveClassLoader loader) {
    try {
      loader.close();
    } catch (IOException ignored) {
      // The loader's jars are deleted with the enclave's folder anyway.
    }
  }
}
