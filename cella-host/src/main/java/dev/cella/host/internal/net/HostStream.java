package dev.cella.host.internal.net;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.protocol.FrameType;
import dev.cella.protocol.Frames;
import dev.cella.protocol.StreamMessages;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

/**
 * The host's end of one relayed TCP stream: a host socket (accepted for a listen grant, or
 * connected for a connect grant) and its twin inside the enclave. A pump thread reads the socket
 * and sends each chunk with {@code STREAM_DATA}, which returns once the enclave has written it to
 * its own socket: a slow reader inside slows the pump, and TCP's window the peer. Bytes from the
 * enclave ({@code STREAM_SEND}) are written by the thread that serves the frame. The host never
 * reads the bytes; for RA-TLS they are TLS records it has no keys for.
 *
 * <p>Thread-safe.
 */
final class HostStream {
  private final long id;
  private final Socket socket;
  private final UnaryOperator<byte[]> toEnclave;
  private final int chunkBytes;
  private final Runnable onDone;
  private final Object writeLock = new Object();
  private final AtomicBoolean fromEnclaveDone = new AtomicBoolean();
  private final AtomicBoolean toEnclaveDone = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  HostStream(long id, Socket socket, UnaryOperator<byte[]> toEnclave, int chunkBytes,
      Runnable onDone) {
    this.id = id;
    this.socket = socket;
    this.toEnclave = toEnclave;
    this.chunkBytes = chunkBytes;
    this.onDone = onDone;
  }

  /** Starts pumping the host socket's bytes into the enclave. */
  void start() {
    Thread.ofVirtual().name("cella-host-stream-" + Long.toUnsignedString(id)).start(this::pump);
  }

  /** Writes the enclave's bytes to the host socket. */
  void write(byte[] bytes) {
    if (fromEnclaveDone.get()) {
      throw new EnclaveException(Code.FAILED_PRECONDITION, "stream "
          + Long.toUnsignedString(id) + " got data after its end");
    }
    try {
      synchronized (writeLock) {
        OutputStream out = socket.getOutputStream();
        out.write(bytes);
        out.flush();
      }
    } catch (IOException e) {
      abort();
      throw new EnclaveException(Code.UNAVAILABLE, "the host's socket of stream "
          + Long.toUnsignedString(id) + " failed: " + e.getMessage());
    }
  }

  /** The enclave's side ended ({@code reset == false}: no more bytes) or broke. */
  void endedByEnclave(boolean reset) {
    if (reset) {
      abort();
      return;
    }
    if (fromEnclaveDone.compareAndSet(false, true)) {
      try {
        synchronized (writeLock) {
          socket.shutdownOutput();
        }
      } catch (IOException e) {
        abort();
        return;
      }
      finishIfDone();
    }
  }

  /** Breaks the stream on the host side at once (RST to the host's peer). Idempotent. */
  void abort() {
    fromEnclaveDone.set(true);
    toEnclaveDone.set(true);
    if (closed.compareAndSet(false, true)) {
      try {
        socket.setSoLinger(true, 0);
      } catch (IOException ignored) {
        // Closing anyway.
      }
      closeSocket();
      onDone.run();
    }
  }

  private void pump() {
    byte[] buffer = new byte[chunkBytes];
    try {
      InputStream in = socket.getInputStream();
      while (true) {
        int n = in.read(buffer);
        if (n < 0) {
          toEnclaveDone.set(true);
          call(FrameType.STREAM_CLOSE, new StreamMessages.Close(id, false,
              "the host's socket ended").encode());
          finishIfDone();
          return;
        }
        if (n > 0) {
          call(FrameType.STREAM_DATA, new StreamMessages.Data(id, Arrays.copyOf(buffer, n))
              .encode());
        }
      }
    } catch (IOException e) {
      if (!closed.get()) {
        try {
          call(FrameType.STREAM_CLOSE, new StreamMessages.Close(id, true,
              "the host's socket failed").encode());
        } catch (EnclaveException ignored) {
          // The enclave's end is gone as well.
        }
      }
      abort();
    } catch (EnclaveException e) {
      // The enclave refused the bytes or is gone: its end is closed.
      abort();
    }
  }

  private void call(FrameType type, byte[] payload) {
    Frames.result(toEnclave.apply(Frames.frame(type, payload)));
  }

  private void finishIfDone() {
    if (fromEnclaveDone.get() && toEnclaveDone.get() && closed.compareAndSet(false, true)) {
      closeSocket();
      onDone.run();
    }
  }

  private void closeSocket() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Closed either way.
    }
  }
}
