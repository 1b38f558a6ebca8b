package dev.cella.protocol.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * How an idle side of a channel sleeps without using CPU and how the other side wakes it: a byte
 * stream each way (the child process's standard input and output, or a pipe). A byte means "look
 * at the ring"; its value carries nothing, so extra bytes only cost a spurious wake-up. The end of
 * the stream means the other side is gone.
 *
 * <pre>{@code
 * Doorbell bell = new Doorbell(process.getInputStream(), process.getOutputStream());
 * }</pre>
 *
 * <p>Thread-safe: {@link #ring} from any thread; {@link #await} from one thread at a time.
 */
public final class Doorbell implements AutoCloseable {
  private final InputStream incoming;
  private final OutputStream outgoing;
  private final byte[] drain = new byte[64];

  /**
   * @param incoming rung by the other side
   * @param outgoing rings the other side
   */
  public Doorbell(InputStream incoming, OutputStream outgoing) {
    this.incoming = incoming;
    this.outgoing = outgoing;
  }

  /** Wakes the other side. */
  public void ring() throws IOException {
    synchronized (outgoing) {
      outgoing.write(1);
      outgoing.flush();
    }
  }

  /**
   * Blocks until the other side rings, then swallows every ring already waiting.
   *
   * @return false when the other side has closed its end (it is gone)
   */
  public boolean await() throws IOException {
    int read = incoming.read(drain, 0, 1);
    if (read < 0) {
      return false;
    }
    int more = incoming.available();
    if (more > 0) {
      incoming.read(drain, 0, Math.min(more, drain.length));
    }
    return true;
  }

  /** Closes the direction to the other side, which sees the end of its stream and stops. */
  public void hangUp() {
    try {
      synchronized (outgoing) {
        outgoing.close();
      }
    } catch (IOException ignored) {
      // The other side is already gone.
    }
  }

  /** Closes both directions; the other side sees the end of its stream. */
  @Override
  public void close() {
    try {
      outgoing.close();
    } catch (IOException ignored) {
      // The other side is already gone.
    }
    try {
      incoming.close();
    } catch (IOException ignored) {
      // Nothing left to read.
    }
  }
}
