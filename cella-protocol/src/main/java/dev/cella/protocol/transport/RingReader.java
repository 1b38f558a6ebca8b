package dev.cella.protocol.transport;

import static dev.cella.protocol.transport.RingLayout.FIRST;
import static dev.cella.protocol.transport.RingLayout.HEAD;
import static dev.cella.protocol.transport.RingLayout.INT;
import static dev.cella.protocol.transport.RingLayout.KIND_ABORT;
import static dev.cella.protocol.transport.RingLayout.KIND_PAD;
import static dev.cella.protocol.transport.RingLayout.KIND_REQUEST;
import static dev.cella.protocol.transport.RingLayout.LAST;
import static dev.cella.protocol.transport.RingLayout.LONG;
import static dev.cella.protocol.transport.RingLayout.RECORD_HEADER;
import static dev.cella.protocol.transport.RingLayout.TAIL;
import static dev.cella.protocol.transport.RingLayout.WAKE;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The consumer end of a ring (layout in {@link RingLayout}). Everything in shared memory was
 * written by the other, untrusted side and may change while it is read: each header field is read
 * once, checked against the ring's bounds and the consumer's own position before it is used, and
 * payloads are copied out before anything interprets them. A violation is a {@link
 * TransportException}; the ring is then unusable.
 *
 * <p>Not thread-safe: one consumer at a time (callers hand the right to read around).
 */
final class RingReader {
  /** Receives each record; the payload must be copied out before the call returns. */
  interface Sink {
    void record(byte kind, byte flags, long callId, long parentId, int totalLength,
        int headLength, MemorySegment data, long offset, int length);
  }

  private final MemorySegment control;
  private final MemorySegment data;
  private final int capacity;
  private final int mask;
  private final int maxChunk;
  private long head;

  RingReader(MemorySegment ring, int capacity) {
    this.control = ring;
    this.data = RingLayout.data(ring);
    this.capacity = capacity;
    this.mask = capacity - 1;
    this.maxChunk = RingLayout.maxChunk(capacity);
    this.head = (long) LONG.getVolatile(control, HEAD);
    if (head != 0) {
      throw new TransportException("a new ring must start empty");
    }
  }

  /** How far this consumer has read: grows with every record consumed. */
  long position() {
    return head;
  }

  /** Whether a record may be waiting (a volatile read of the producer's position). */
  boolean hasData() {
    return (long) LONG.getVolatile(control, TAIL) != head;
  }

  /**
   * Hands the next record to {@code sink} and consumes it.
   *
   * @return false when the ring is empty
   */
  boolean poll(Sink sink) {
    while (true) {
      long tail = (long) LONG.getAcquire(control, TAIL);
      long available = tail - head;
      if (available == 0) {
        return false;
      }
      if (available < 0 || available > capacity) {
        throw new TransportException("the producer's position " + tail
            + " is impossible for consumer position " + head);
      }
      int index = (int) (head & mask);
      int toEnd = capacity - index;
      if (toEnd < RECORD_HEADER) {
        skip(toEnd, available);
        continue;
      }
      if (available < RECORD_HEADER) {
        throw new TransportException("a partial record of " + available + " bytes was published");
      }
      int length = data.get(ValueLayout.JAVA_INT, index);
      byte kind = data.get(ValueLayout.JAVA_BYTE, index + 4);
      if (kind == KIND_PAD) {
        if (length != toEnd - RECORD_HEADER) {
          throw new TransportException("a padding record of " + length
              + " bytes does not reach the end of the ring");
        }
        skip(toEnd, available);
        continue;
      }
      byte flags = data.get(ValueLayout.JAVA_BYTE, index + 5);
      if (kind < KIND_REQUEST || kind > KIND_ABORT) {
        throw new TransportException("unknown record kind " + kind);
      }
      if ((flags & ~(FIRST | LAST)) != 0) {
        throw new TransportException("unknown record flags 0x" + Integer.toHexString(flags & 0xFF));
      }
      if (length < 0 || length > maxChunk) {
        throw new TransportException("a record claims " + length + " payload bytes; at most "
            + maxChunk + " fit");
      }
      int size = RingLayout.align(RECORD_HEADER + length);
      if (size > toEnd || size > available) {
        throw new TransportException("a record of " + size + " bytes overruns the ring");
      }
      long callId = data.get(ValueLayout.JAVA_LONG, index + 8);
      long parentId = data.get(ValueLayout.JAVA_LONG, index + 16);
      int total = data.get(ValueLayout.JAVA_INT, index + 24);
      int headLength = Short.toUnsignedInt(data.get(ValueLayout.JAVA_SHORT, index + 6));
      sink.record(kind, flags, callId, parentId, total, headLength, data, index + RECORD_HEADER,
          length);
      head += size;
      LONG.setRelease(control, HEAD, head);
      return true;
    }
  }

  private void skip(int bytes, long available) {
    if (available < bytes) {
      throw new TransportException("the producer published into the ring's padding");
    }
    head += bytes;
    LONG.setRelease(control, HEAD, head);
  }

  /**
   * Asks the producer to ring the doorbell for its next record. Volatile accesses are
   * sequentially consistent, so this store is ordered before the caller's following volatile read
   * in {@link #hasData()} (the producer does the mirror image): a record published meanwhile is
   * either seen or rung for.
   */
  void requestWake() {
    INT.setVolatile(control, WAKE, 1);
  }

  /** Tells the producer that a reader is polling: no doorbell needed. */
  void cancelWake() {
    if ((int) INT.getOpaque(control, WAKE) != 0) {
      INT.setOpaque(control, WAKE, 0);
    }
  }
}
