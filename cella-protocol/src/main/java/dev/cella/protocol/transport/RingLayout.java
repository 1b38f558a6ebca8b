package dev.cella.protocol.transport;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The layout of one ring in shared memory, shared by {@link RingWriter} and {@link RingReader}.
 *
 * <pre>
 * control block (384 bytes, each word on its own 128-byte line):
 *   0    tail  u64  bytes ever published by the producer
 *   128  head  u64  bytes ever consumed by the consumer
 *   256  wake  u32  1 = the consumer may block: the producer rings the doorbell (and clears it)
 * data (capacity bytes, a power of two): records, each 8-byte aligned and never wrapped
 *   0   u32 payload length of this record
 *   4   u8  kind (PAD, REQUEST, RESPONSE, ABORT)
 *   5   u8  flags (FIRST, LAST)
 *   6   u16 head length: on a FIRST record, how many of the message's first bytes are its head
 *           (0: the message is one part); 0 on other records
 *   8   u64 call id
 *   16  u64 parent call id (requests nested in a call of the other side), else 0
 *   24  u32 total length of the message this record starts (FIRST records)
 *   28  u32 zero
 *   32  payload
 * </pre>
 *
 * A record that does not fit before the end of the data area is preceded by a PAD record up to
 * the end (or, when fewer than 32 bytes are left, by nothing: the reader skips such a tail).
 * Values are in the machine's byte order: both sides run on the same machine.
 */
final class RingLayout {
  static final long TAIL = 0;
  static final long HEAD = 128;
  static final long WAKE = 256;
  static final int CONTROL_BYTES = 384;

  static final int RECORD_HEADER = 32;
  static final int ALIGN = 8;

  static final byte KIND_PAD = 1;
  static final byte KIND_REQUEST = 2;
  static final byte KIND_RESPONSE = 3;
  static final byte KIND_ABORT = 4;

  static final byte FIRST = 1;
  static final byte LAST = 2;

  /** The longest head a message may have ({@link dev.cella.spi.FrameParts}). */
  static final int MAX_HEAD = 255;

  static final int MIN_CAPACITY = 4096;
  static final int MAX_CAPACITY = 1 << 30;

  static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
  static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

  private RingLayout() {}

  /** The bytes one ring of {@code capacity} data bytes takes. */
  static long ringBytes(int capacity) {
    return CONTROL_BYTES + (long) capacity;
  }

  /** Whether {@code capacity} is a valid data size: a power of two within the limits. */
  static boolean validCapacity(long capacity) {
    return capacity >= MIN_CAPACITY && capacity <= MAX_CAPACITY && Long.bitCount(capacity) == 1;
  }

  /**
   * The largest payload of one record: a quarter of the ring, so padding wastes little, and at
   * most 64 KiB, so that the reader of a large message starts copying it out while the writer is
   * still copying the rest in.
   */
  static int maxChunk(int capacity) {
    return Math.min(capacity / 4, 64 << 10) - RECORD_HEADER;
  }

  static int align(int bytes) {
    return (bytes + ALIGN - 1) & -ALIGN;
  }

  static MemorySegment data(MemorySegment ring) {
    return ring.asSlice(CONTROL_BYTES);
  }
}
