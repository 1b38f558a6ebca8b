package dev.cella.enclave.internal.channel;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The TLS bytes the host delivered for one channel end, not yet read: bounded, so that a peer
 * that sends faster than this enclave reads is slowed down (the host's delivery waits) and then
 * cut off, never allowed to fill the heap.
 *
 * <p>Thread-safe.
 */
final class Inbox {
  /** The most bytes held. */
  static final int MAX_BUFFERED = 8 << 20;
  /** How long a delivery waits for room. */
  static final long OFFER_WAIT_MILLIS = 10_000;

  private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
  private int buffered;
  private String closedReason;

  /** Adds bytes from the host, waiting for room; refuses once closed or still full. */
  synchronized void offer(byte[] bytes) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(OFFER_WAIT_MILLIS);
    while (closedReason == null && buffered + (long) bytes.length > MAX_BUFFERED) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new EnclaveException(Code.RESOURCE_EXHAUSTED, "the channel's reader is "
            + MAX_BUFFERED + " bytes behind");
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    if (closedReason != null) {
      throw new EnclaveException(Code.FAILED_PRECONDITION, "the channel is closed");
    }
    if (bytes.length > 0) {
      chunks.addLast(bytes);
      buffered += bytes.length;
      notifyAll();
    }
  }

  /**
   * The next chunk, waiting until {@code deadlineNanos}: null on timeout.
   *
   * @throws ClosedException once closed and drained
   */
  synchronized byte[] take(long deadlineNanos) throws InterruptedException, ClosedException {
    while (chunks.isEmpty()) {
      if (closedReason != null) {
        throw new ClosedException(closedReason);
      }
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    byte[] chunk = chunks.removeFirst();
    buffered -= chunk.length;
    notifyAll();
    return chunk;
  }

  /** No more bytes will come; what is buffered can still be read. */
  synchronized void close(String reason) {
    if (closedReason == null) {
      closedReason = reason;
    }
    notifyAll();
  }

  /** The host closed the channel (or this side did) and every byte was read. */
  static final class ClosedException extends Exception {
    private static final long serialVersionUID = 1L;

    ClosedException(String reason) {
      super(reason, null, false, false);
    }
  }
}
