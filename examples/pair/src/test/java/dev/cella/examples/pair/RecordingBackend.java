package dev.cella.examples.pair;

import dev.cella.BackendInfo;
import dev.cella.spi.Backend;
import dev.cella.spi.EnclaveConnection;
import dev.cella.spi.LaunchRequest;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A curious host: a backend that wraps another and keeps a copy of every frame crossing the
 * enclave boundary, both ways, requests and answers — everything a host that relays channels can
 * see.
 */
final class RecordingBackend implements Backend {
  private final Backend inner;
  private final ByteArrayOutputStream seen = new ByteArrayOutputStream();
  private final AtomicInteger frames = new AtomicInteger();

  RecordingBackend(Backend inner) {
    this.inner = inner;
  }

  @Override
  public BackendInfo info() {
    return inner.info();
  }

  @Override
  public EnclaveConnection launch(LaunchRequest request) {
    LaunchRequest watched = new LaunchRequest(request.enclaveName(), request.identity(),
        request.bundleFile(), request.classPath(), request.limits(),
        frame -> record(request.hostCalls().handle(record(frame))), request.manifest());
    EnclaveConnection connection = inner.launch(watched);
    return new EnclaveConnection() {
      @Override
      public byte[] call(byte[] frame) {
        return record(connection.call(record(frame)));
      }

      @Override
      public boolean isAlive() {
        return connection.isAlive();
      }

      @Override
      public void close() {
        connection.close();
      }
    };
  }

  private byte[] record(byte[] frame) {
    synchronized (seen) {
      seen.writeBytes(frame);
    }
    frames.incrementAndGet();
    return frame;
  }

  /** Every byte seen so far. */
  byte[] seen() {
    synchronized (seen) {
      return seen.toByteArray();
    }
  }

  int frames() {
    return frames.get();
  }

  /** Forgets what was seen. */
  void reset() {
    synchronized (seen) {
      seen.reset();
    }
  }
}
