package dev.cella.enclave.internal.net;

import dev.cella.EnclaveException;
import dev.cella.protocol.FrameType;
import dev.cella.protocol.StreamMessages;
import dev.cella.protocol.StreamPipe;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One relayed TCP stream inside the enclave: a socket inside the sandbox (to the application's
 * server, or accepted from the application's client) and its host-side twin. A pump thread reads
 * the socket and sends each chunk with {@code STREAM_SEND}, which returns once the host has queued
 * it for its socket. Bytes from the host go into a bounded {@link StreamPipe}, whose thread writes
 * them to the socket: when it is full, the host's {@code STREAM_DATA} waits, so a slow reader
 * inside slows the host's pump down, and the host's TCP window the peer.
 *
 * <p>Thread-safe.
 */
final class RelayedStream {
  private static final System.Logger LOG = System.getLogger(RelayedStream.class.getName());

  private final long id;
  private final Socket socket;
  private final HostCall host;
  private final int chunkBytes;
  private final java.util.function.Consumer<RelayedStream> onDone;
  private final StreamPipe pipe;
  private final AtomicBoolean inboundDone = new AtomicBoolean();
  private final AtomicBoolean outboundDone = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  RelayedStream(long id, Socket socket, HostCall host, int chunkBytes,
      java.util.function.Consumer<RelayedStream> onDone)
      throws IOException {
    this.id = id;
    this.socket = socket;
    this.host = host;
    this.chunkBytes = chunkBytes;
    this.onDone = onDone;
    this.pipe = StreamPipe.start("enclave-" + Long.toUnsignedString(id), socket.getOutputStream(),
        this::inboundFinished, e -> {
          tellHost(true, "the enclave's socket failed: " + e.getClass().getSimpleName());
          resetLocally();
        });
  }

  long id() {
    return id;
  }

  /** Starts pumping the socket's bytes to the host. */
  void start() {
    Thread.ofVirtual().name("cella-stream-" + Long.toUnsignedString(id)).start(this::pump);
  }

  /**
   * Queues bytes from the host for the socket, waiting while {@link StreamPipe#MAX_BUFFERED}
   * bytes wait already.
   */
  void write(byte[] bytes) {
    pipe.write(bytes, "stream " + Long.toUnsignedString(id), "inside the enclave");
  }


  /** The host's side ended ({@code reset == false}: no more bytes) or broke. */
  void closedByHost(boolean reset) {
    if (reset) {
      resetLocally();
    } else {
      pipe.end();
    }
  }

  /** Every byte from the host is written: end the socket's output. */
  private void inboundFinished() throws IOException {
    socket.shutdownOutput();
    inboundDone.set(true);
    finishIfDone();
  }

  /** Breaks the stream here without telling the host (it knows, or is gone). */
  void resetLocally() {
    inboundDone.set(true);
    outboundDone.set(true);
    pipe.abort();
    abort();
  }

  private void pump() {
    byte[] buffer = new byte[chunkBytes];
    try {
      InputStream in = socket.getInputStream();
      while (true) {
        int n = StreamPipe.readChunk(in, buffer);
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
      onDone.accept(this);
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
      onDone.accept(this);
    }
  }
}
