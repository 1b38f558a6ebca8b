package dev.cella.examples.kv;

import dev.cella.BackendInfo;
import dev.cella.spi.Backend;
import dev.cella.spi.EnclaveConnection;
import dev.cella.spi.LaunchRequest;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A curious host: a backend that wraps another and keeps a copy of every frame crossing the
 * enclave boundary, both ways, and counts the frames that carry relayed TCP bytes.
 */
final class RecordingBackend implements Backend {
  /** The wire bytes of STREAM_DATA (host to enclave) and STREAM_SEND (enclave to host). */
  private static final int STREAM_DATA = 0x09;
  private static final int STREAM_SEND = 0x29;
  private final Backend inner;
  private final ByteArrayOutputStream seen = new ByteArrayOutputStream();
  private final AtomicInteger streamFrames = new AtomicInteger();

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
        frame -> record(request.hostCalls().handle(record(frame))));
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
    if (frame.length > 1 && ((frame[1] & 0xFF) == STREAM_DATA || (frame[1] & 0xFF) == STREAM_SEND)) {
      streamFrames.incrementAndGet();
    }
    return frame;
  }

  /** Every byte seen so far. */
  byte[] seen() {
    synchronized (seen) {
      return seen.toByteArray();
    }
  }

  /** How many frames carried relayed TCP bytes. */
  int streamFrames() {
    return streamFrames.get();
  }
}
