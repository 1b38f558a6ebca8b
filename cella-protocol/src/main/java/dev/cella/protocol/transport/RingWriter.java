package dev.cella.protocol.transport;

import static dev.cella.protocol.transport.RingLayout.ALIGN;
import static dev.cella.protocol.transport.RingLayout.HEAD;
import static dev.cella.protocol.transport.RingLayout.INT;
import static dev.cella.protocol.transport.RingLayout.KIND_PAD;
import static dev.cella.protocol.transport.RingLayout.LONG;
import static dev.cella.protocol.transport.RingLayout.RECORD_HEADER;
import static dev.cella.protocol.transport.RingLayout.TAIL;
import static dev.cella.protocol.transport.RingLayout.WAKE;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The producer end of a ring (layout in {@link RingLayout}). The producer keeps its own tail and
 * never reads it back from shared memory; the consumer's head is read from shared memory and
 * checked, since the consumer is the other, untrusted side.
 *
 * <p>Not thread-safe: one producer; callers serialize writes.
 */
final class RingWriter {
  private final MemorySegment control;
  private final MemorySegment data;
  private final int capacity;
  private final int mask;
  private final int maxChunk;
  private long tail;
  /** The consumer's position as last read: free space is only re-read when this shows too little. */
  private long cachedHead;

  RingWriter(MemorySegment ring, int capacity) {
    this.control = ring;
    this.data = RingLayout.data(ring);
    this.capacity = capacity;
    this.mask = capacity - 1;
    this.maxChunk = RingLayout.maxChunk(capacity);
    this.tail = (long) LONG.getVolatile(control, TAIL);
    if (tail != 0) {
      throw new TransportException("a new ring must start empty");
    }
  }

  /** How far this producer has written: the position its next record goes to. */
  long position() {
    return tail;
  }

  /** The largest payload one record carries. */
  int maxChunk() {
    return maxChunk;
  }

  /**
   * Publishes one record if there is room for it now: {@code length} bytes of the message made of
   * {@code head} then {@code body}, from {@code offset} in it.
   *
   * @param headLength the message's head length, stated on its first record (0 on the others)
   * @return false when the ring is too full; nothing was written
   * @throws TransportException when the consumer's head is impossible
   */
  boolean tryWrite(byte kind, byte flags, long callId, long parentId, int totalLength,
      int headLength, byte[] head, byte[] body, int offset, int length) {
    if (length < 0 || length > maxChunk) {
      throw new IllegalArgumentException("a record carries 0 to " + maxChunk + " bytes");
    }
    int needed = RingLayout.align(RECORD_HEADER + length);
    int index = (int) (tail & mask);
    int toEnd = capacity - index;
    int pad = toEnd < needed ? toEnd : 0;
    if (capacity - (tail - cachedHead) < (long) pad + needed) {
      long consumerHead = (long) LONG.getAcquire(control, HEAD);
      if (consumerHead < cachedHead || consumerHead > tail || (consumerHead & (ALIGN - 1)) != 0) {
        throw new TransportException("the consumer's position " + consumerHead
            + " is impossible for producer position " + tail);
      }
      cachedHead = consumerHead;
      if (capacity - (tail - consumerHead) < (long) pad + needed) {
        return false;
      }
    }
    if (pad > 0) {
      if (pad >= RECORD_HEADER) {
        data.set(ValueLayout.JAVA_INT, index, pad - RECORD_HEADER);
        data.set(ValueLayout.JAVA_BYTE, index + 4, KIND_PAD);
      }
      index = 0;
    }
    data.set(ValueLayout.JAVA_INT, index, length);
    data.set(ValueLayout.JAVA_BYTE, index + 4, kind);
    data.set(ValueLayout.JAVA_BYTE, index + 5, flags);
    data.set(ValueLayout.JAVA_SHORT, index + 6, (short) headLength);
    data.set(ValueLayout.JAVA_LONG, index + 8, callId);
    data.set(ValueLayout.JAVA_LONG, index + 16, parentId);
    data.set(ValueLayout.JAVA_INT, index + 24, totalLength);
    data.set(ValueLayout.JAVA_INT, index + 28, 0);
    long at = index + RECORD_HEADER;
    int fromHead = Math.max(0, Math.min(length, head.length - offset));
    if (fromHead > 0) {
      MemorySegment.copy(head, offset, data, ValueLayout.JAVA_BYTE, at, fromHead);
    }
    if (length > fromHead) {
      MemorySegment.copy(body, offset + fromHead - head.length, data, ValueLayout.JAVA_BYTE,
          at + fromHead, length - fromHead);
    }
    tail += pad + needed;
    // A volatile store: ordered before the read of the wake flag in takeWakeRequest.
    LONG.setVolatile(control, TAIL, tail);
    return true;
  }

  /**
   * The consumer's position as it is in shared memory now, unchecked: only for telling whether
   * the consumer is reading, never for deciding where to write.
   */
  long consumerPosition() {
    return (long) LONG.getAcquire(control, HEAD);
  }

  /**
   * Whether the consumer asked to be woken: if so, clears the request, so that of several
   * records only one rings. Call after {@link #tryWrite}, whose volatile store of the position
   * orders this read after it (the consumer does the mirror image, see {@link
   * RingReader#requestWake}).
   */
  boolean takeWakeRequest() {
    return (int) INT.getVolatile(control, WAKE) == 1 && INT.compareAndSet(control, WAKE, 1, 0);
  }
}
