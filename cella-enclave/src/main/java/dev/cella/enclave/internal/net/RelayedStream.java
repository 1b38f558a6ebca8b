package dev.cella.enclave.internal.net;

import dev.cella.EnclaveException;
import dev.cella.protocol.FrameType;
import dev.cella.protocol.StreamMessages;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One relayed TCP stream inside the enclave: a socket inside the sandbox (to the application's
 * server, or accepted from the application's client) and its host-side twin. A pump thread reads
 * the socket and sends each chunk with {@code STREAM_SEND}, which returns once the host has written
 * it to its socket: that is the flow control from here to the host. Bytes from the host are
 * written to the socket by the thread that serves their {@code STREAM_DATA}, which returns only
 * once written: a slow reader inside slows the host down, and the host's TCP window the peer.
 *
 * <p>Thread-safe.
 */
final class RelayedStream {
  private static final System.Logger LOG = System.getLogger(RelayedStream.class.getName());

  private final long id;
  private final Socket socket;
  private final HostCall host;
  private final int chunkBytes;
  private final Runnable onDone;
  private final Object writeLock = new Object();
  private final AtomicBoolean inboundDone = new AtomicBoolean();
  private final AtomicBoolean outboundDone = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  RelayedStream(long id, Socket socket, HostCall host, int chunkBytes, Runnable onDone) {
    this.id = id;
    this.socket = socket;
    this.host = host;
    this.chunkBytes = chunkBytes;
    this.onDone = onDone;
  }

  long id() {
    return id;
  }

  /** Starts pumping the socket's bytes to the host. */
  void start() {
    Thread.ofVirtual().name("cella-stream-" + Long.toUnsignedString(id)).start(this::pump);
  }

  /** Writes bytes from the host into the socket; a failure resets the stream. */
  void write(byte[] bytes) {
    if (inboundDone.get()) {
      throw new EnclaveException(dev.cella.EnclaveStatus.Code.FAILED_PRECONDITION,
          "stream " + Long.toUnsignedString(id) + " got data after its end");
    }
    try {
      synchronized (writeLock) {
        OutputStream out = socket.getOutputStream();
        out.write(bytes);
        out.flush();
      }
    } catch (IOException e) {
      resetLocally();
      throw new EnclaveException(dev.cella.EnclaveStatus.Code.UNAVAILABLE,
          "the enclave's socket of stream " + Long.toUnsignedString(id) + " failed: "
              + e.getClass().getSimpleName());
    }
  }

  /** The host's side ended ({@code reset == false}: no more bytes) or broke. */
  void closedByHost(boolean reset) {
    if (reset) {
      resetLocally();
      return;
    }
    if (inboundDone.compareAndSet(false, true)) {
      try {
        synchronized (writeLock) {
          socket.shutdownOutput();
        }
      } catch (IOException e) {
        resetLocally();
        return;
      }
      finishIfDone();
    }
  }

  /** Breaks the stream here without telling the host (it knows, or is gone). */
  void resetLocally() {
    inboundDone.set(true);
    outboundDone.set(true);
    abort();
  }

  private void pump() {
    byte[] buffer = new byte[chunkBytes];
    try {
      InputStream in = socket.getInputStream();
      while (true) {
        int n = in.read(buffer);
        if (n < 0) {
          outboundDone.set(true);
          tellHost(false, "the enclave's socket ended");
          finishIfDone();
          return;
        }
        if (n > 0) {
          host.call(FrameType.STREAM_SEND,
              new StreamMessages.Data(id, Arrays.copyOf(buffer, n)).encode());
        }
      }
    } catch (IOException e) {
      if (!closed.get()) {
        tellHost(true, "the enclave's socket failed: " + e.getClass().getSimpleName());
      }
      resetLocally();
    } catch (EnclaveException e) {
      // The host refused the bytes: its side is gone.
      LOG.log(System.Logger.Level.DEBUG, "stream {0}: {1}", Long.toUnsignedString(id),
          e.getMessage());
      resetLocally();
    }
  }

  private void tellHost(boolean reset, String reason) {
    try {
      host.call(FrameType.STREAM_END, new StreamMessages.Close(id, reset, reason).encode());
    } catch (EnclaveException e) {
      resetLocally();
    }
  }

  private void finishIfDone() {
    if (inboundDone.get() && outboundDone.get() && closed.compareAndSet(false, true)) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // Closed either way.
      }
      onDone.run();
    }
  }

  private void abort() {
    if (closed.compareAndSet(false, true)) {
      try {
        socket.setSoLinger(true, 0);
      } catch (IOException ignored) {
        // Closing anyway.
      }
      try {
        socket.close();
      } catch (IOException ignored) {
        // Closed either way.
      }
      onDone.run();
    }
  }
}
