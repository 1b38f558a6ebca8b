package dev.cella.enclave.sealing;

import dev.cella.protocol.storage.SealedStorageHost;
import dev.cella.protocol.storage.MonotonicCounter;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Host storage and counter that "crash" on demand: the armed operation throws, as if the enclave
 * died at that point, and the test then reopens the store with a healthy host.
 */
final class FaultyHost implements SealedStorageHost {
  private final SealedStorageHost delegate;
  volatile boolean failManifestWrite;
  volatile boolean failObjectWrite;

  FaultyHost(SealedStorageHost delegate) {
    this.delegate = delegate;
  }

  @Override
  public byte[] readOrNull(String name) throws IOException {
    return delegate.readOrNull(name);
  }

  @Override
  public void writeAtomically(String name, byte[] bytes) throws IOException {
    boolean manifest = name.equals(MANIFEST_NAME);
    if (manifest ? failManifestWrite : failObjectWrite) {
      throw new IOException("simulated crash before writing " + (manifest ? "the manifest" : name));
    }
    delegate.writeAtomically(name, bytes);
  }

  @Override
  public void delete(String name) throws IOException {
    delegate.delete(name);
  }

  @Override
  public List<String> list() throws IOException {
    return delegate.list();
  }

  /** A counter that fails its next increments while armed, without incrementing. */
  static final class FaultyCounter implements MonotonicCounter {
    private final MonotonicCounter delegate;
    volatile boolean failIncrement;
    final AtomicLong increments = new AtomicLong();

    FaultyCounter(MonotonicCounter delegate) {
      this.delegate = delegate;
    }

    @Override
    public long read() throws IOException {
      return delegate.read();
    }

    @Override
    public long increment() throws IOException {
      if (failIncrement) {
        throw new IOException("simulated crash before the counter increment");
      }
      increments.incrementAndGet();
      return delegate.increment();
    }
  }
}
