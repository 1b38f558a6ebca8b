package dev.cella.backend.sim;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.spi.EnclaveConnection;
import java.io.IOException;
import java.util.function.UnaryOperator;

/**
 * A direct call into the enclave runtime's entry point, with the enclave's class loader as the
 * thread's context class loader while enclave code runs.
 *
 * <p>Thread-safe.
 */
final class SimConnection implements EnclaveConnection {
  private final UnaryOperator<byte[]> runtime;
  private final EnclaveClassLoader loader;
  private volatile boolean closed;

  SimConnection(UnaryOperator<byte[]> runtime, EnclaveClassLoader loader) {
    this.runtime = runtime;
    this.loader = loader;
  }

  @Override
  public byte[] call(byte[] frame) {
    if (closed) {
      throw new EnclaveException(Code.UNAVAILABLE, "the enclave has been destroyed");
    }
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      return runtime.apply(frame);
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  @Override
  public boolean isAlive() {
    return !closed;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      loader.close();
    } catch (IOException e) {
      System.getLogger(SimConnection.class.getName())
          .log(System.Logger.Level.DEBUG, "closing the enclave class loader failed: " + e);
    }
  }
}
