package dev.cella.host.internal.net;

import dev.cella.EnclaveException;
import dev.cella.protocol.FrameType;
import dev.cella.protocol.Frames;
import dev.cella.protocol.StreamMessages;
import dev.cella.protocol.StreamPipe;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

/**
 * The host's end of one relayed TCP stream: a host socket (accepted for a listen grant, or
 * connected for a connect grant) and its twin inside the enclave. A pump thread reads the socket
 * and sends each chunk with {@code STREAM_DATA}, which returns once the enclave has queued it
 * (bounded): a slow reader inside slows the pump, and TCP's window the peer. Bytes from the
 * enclave ({@code STREAM_SEND}) go into a bounded {@link StreamPipe} that writes them to the
 * socket; while it is full the enclave's pump waits. The host never
 * reads the bytes; for RA-TLS they are TLS records it has no keys for.
 *
 * <p>Thread-safe.
 */
final class HostStream {
  private final long id;
  private final Socket socket;
  private final UnaryOperator<byte[]> toEnclave;
  private final int chunkBytes;
  private final java.util.function.Consumer<HostStream> onDone;
  private final StreamPipe pipe;
  private final AtomicBoolean fromEnclaveDone = new AtomicBoolean();
  private final AtomicBoolean toEnclaveDone = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  HostStream(long id, Socket socket, UnaryOperator<byte[]> toEnclave, int chunkBytes,
      java.util.function.Consumer<HostStream> onDone) throws IOException {
    this.id = id;
    this.socket = socket;
    this.toEnclave = toEnclave;
    this.chunkBytes = chunkBytes;
    this.onDone = onDone;
    this.pipe = StreamPipe.start("host-" + Long.toUnsignedString(id), socket.getOutputStream(),
        this::fromEnclaveFinished, e -> {
          tellEnclaveReset();
          abort();
        });
  }

  /** Starts pumping the host socket's bytes into the enclave. */
  void start() {
    Thread.ofVirtual().name("cella-host-stream-" + Long.toUnsignedString(id)).start(this::pump);
  }

  /** Queues the enclave's bytes for the host socket, waiting while the queue is full. */
  void write(byte[] bytes) {
    pipe.write(bytes, "stream " + Long.toUnsignedString(id), "on the host");
  }


  /** The enclave's side ended ({@code reset == false}: no more bytes) or broke. */
  void endedByEnclave(boolean reset) {
    if (reset) {
      abort();
    } else {
      pipe.end();
    }
  }

  /** Every byte from the enclave is written: end the socket's output. */
  private void fromEnclaveFinished() throws IOException {
    socket.shutdownOutput();
    fromEnclaveDone.set(true);
    finishIfDone();
  }

  /** Breaks the stream on the host side at once (RST to the host's peer). Idempotent. */
  void abort() {
    fromEnclaveDone.set(true);
    toEnclaveDone.set(true);
    pipe.abort();
    if (closed.compareAndSet(false, true)) {
      try {
        socket.setSoLinger(true, 0);
      } catch (IOException ignored) {
        // Closing anyway.
      }
      closeSocket();
      onDone.accept(this);
    }
  }

  private void pump() {
    byte[] buffer = new byte[chunkBytes];
    try {
      InputStream in = socket.getInputStream();
      while (true) {
        int n = StreamPipe.readChunk(in, buffer);
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
        tellEnclaveReset();
      }
      abort();
    } catch (EnclaveException e) {
      // The enclave refused the bytes or is gone: its end is closed.
      abort();
    }
  }

  private void tellEnclaveReset() {
    try {
      call(FrameType.STREAM_CLOSE, new StreamMessages.Close(id, true, "the host's socket failed")
          .encode());
    } catch (EnclaveException ignored) {
      // The enclave's end is gone as well.
    }
  }

  private void call(FrameType type, byte[] payload) {
    Frames.result(toEnclave.apply(Frames.frame(type, payload)));
  }

  private void finishIfDone() {
    if (fromEnclaveDone.get() && toEnclaveDone.get() && closed.compareAndSet(false, true)) {
      closeSocket();
      onDone.accept(this);
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
