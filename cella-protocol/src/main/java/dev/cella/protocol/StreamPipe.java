package dev.cella.protocol;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;

/**
 * The receiving end of one direction of a relayed TCP stream, on either side of the boundary: a
 * bounded queue of chunks and a thread that writes them, in order, to a socket's output. The frame
 * that brought a chunk returns as soon as it is queued, so several chunks can be on their way
 * while the socket drains; once {@value #MAX_BUFFERED} bytes wait, {@link #offer} waits for room,
 * which holds the sender's pump, which stops reading its socket, and TCP's window pushes back on
 * the peer. There is no deadline (TCP has none); {@link #abort} ends every wait.
 *
 * <pre>{@code
 * StreamPipe pipe = StreamPipe.start("stream 7", socket.getOutputStream(), socket::shutdownOutput,
 *     failure -> resetTheStream());
 * pipe.offer(chunk);   // from the frame handler
 * pipe.end();          // FIN after what is queued
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class StreamPipe {
  /** The most bytes queued and not yet written. */
  public static final int MAX_BUFFERED = 256 << 10;

  /** What to run once every queued byte is written after {@link #end}. */
  @FunctionalInterface
  public interface Finish {
    void run() throws IOException;
  }

  private final OutputStream out;
  private final Finish finish;
  private final java.util.function.Consumer<IOException> onFailure;
  private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
  private int buffered;
  private boolean ended;
  private boolean stopped;

  private StreamPipe(OutputStream out, Finish finish,
      java.util.function.Consumer<IOException> onFailure) {
    this.out = out;
    this.finish = finish;
    this.onFailure = onFailure;
  }

  /**
   * A pipe into {@code out} with its writer thread started.
   *
   * @param finish runs after the last byte once {@link #end} was called (e.g. {@code
   *     shutdownOutput})
   * @param onFailure runs once if writing or finishing fails; the pipe is stopped then
   */
  public static StreamPipe start(String name, OutputStream out, Finish finish,
      java.util.function.Consumer<IOException> onFailure) {
    StreamPipe pipe = new StreamPipe(out, finish, onFailure);
    Thread.ofVirtual().name("cella-pipe-" + name).start(pipe::drain);
    return pipe;
  }

  /**
   * Queues {@code bytes}, waiting while the queue is full.
   *
   * @return false when the pipe is stopped (aborted, failed) or already ended: nothing was queued
   */
  public synchronized boolean offer(byte[] bytes) throws InterruptedException {
    while (!stopped && !ended && buffered > 0 && buffered + (long) bytes.length > MAX_BUFFERED) {
      wait();
    }
    if (stopped || ended) {
      return false;
    }
    if (bytes.length > 0) {
      chunks.addLast(bytes);
      buffered += bytes.length;
      notifyAll();
    }
    return true;
  }

  /**
   * {@link #offer} for a frame handler: queues {@code bytes} or fails the call that carried them.
   *
   * @param stream the stream's name in the error, e.g. {@code "stream 7"}
   * @param where where it is closed, e.g. {@code "on the host"}
   * @throws EnclaveException {@code UNAVAILABLE} when the pipe is stopped or ended; {@code
   *     CANCELLED} when interrupted while the queue is full
   */
  public void write(byte[] bytes, String stream, String where) {
    boolean queued;
    try {
      queued = offer(bytes);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnclaveException(Code.CANCELLED, "interrupted while queueing stream data");
    }
    if (!queued) {
      throw new EnclaveException(Code.UNAVAILABLE, stream + " is closed " + where);
    }
  }

  /** No more bytes come: finish once the queued ones are written. Idempotent. */
  public synchronized void end() {
    ended = true;
    notifyAll();
  }

  /** Drops what is queued and stops the writer; waiting offers return false. Idempotent. */
  public synchronized void abort() {
    stopped = true;
    chunks.clear();
    buffered = 0;
    notifyAll();
  }

  /**
   * Reads one chunk from {@code in} into {@code buffer}: blocks for the first bytes, then takes
   * what is already there without blocking, so that a burst crosses in few frames.
   *
   * @return the number of bytes read, or -1 at the end of the stream with nothing read
   */
  public static int readChunk(java.io.InputStream in, byte[] buffer) throws IOException {
    int n = in.read(buffer);
    while (n > 0 && n < buffer.length && in.available() > 0) {
      int more = in.read(buffer, n, buffer.length - n);
      if (more < 0) {
        break; // the end comes with the next read
      }
      n += more;
    }
    return n;
  }

  private void drain() {
    try {
      while (true) {
        byte[] chunk;
        synchronized (this) {
          while (chunks.isEmpty() && !ended && !stopped) {
            wait();
          }
          if (stopped) {
            return;
          }
          if (chunks.isEmpty()) {
            stopped = true;
            break; // ended and drained
          }
          chunk = chunks.peekFirst();
        }
        out.write(chunk);
        out.flush();
        synchronized (this) {
          if (!chunks.isEmpty() && chunks.peekFirst() == chunk) {
            chunks.removeFirst();
            buffered -= chunk.length;
          }
          notifyAll();
        }
      }
      finish.run();
    } catch (IOException e) {
      boolean aborted;
      synchronized (this) {
        aborted = stopped;
        stopped = true;
        chunks.clear();
        buffered = 0;
        notifyAll();
      }
      if (!aborted) {
        onFailure.accept(e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
