package dev.cella.protocol.transport;

import static dev.cella.protocol.transport.RingLayout.FIRST;
import static dev.cella.protocol.transport.RingLayout.KIND_REQUEST;
import static dev.cella.protocol.transport.RingLayout.LAST;
import static dev.cella.protocol.transport.RingLayout.MAX_HEAD;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Joins the records of a ring into messages. A producer writes the records of one message one
 * after the other, so at most one message is in progress; its total length and head length are
 * checked against the limits before its buffers are allocated, and every later record must
 * continue exactly that message and stay within its length. A message with a head arrives as two
 * arrays, its head and its body, each filled straight from the ring.
 *
 * <p>Not thread-safe: used by the current reader of the ring only.
 */
final class MessageAssembler implements RingReader.Sink {
  private static final byte[] EMPTY = new byte[0];

  private final int maxMessageBytes;
  private byte[] head;
  private byte[] body;
  private int filled;
  private int total;
  private byte partialKind;
  private long partialCallId;
  private long partialParentId;
  private Message completed;

  MessageAssembler(int maxMessageBytes) {
    this.maxMessageBytes = maxMessageBytes;
  }

  @Override
  public void record(byte kind, byte flags, long callId, long parentId, int totalLength,
      int headLength, MemorySegment data, long offset, int length) {
    if (completed != null) {
      throw new IllegalStateException("the completed message was not taken");
    }
    if (kind != KIND_REQUEST && parentId != 0) {
      throw new TransportException("a response names a parent call");
    }
    if ((flags & FIRST) != 0) {
      if (body != null) {
        throw new TransportException("a message began inside call " + partialCallId + "'s message");
      }
      if (totalLength < 0 || totalLength > maxMessageBytes) {
        throw new TransportException("a message of " + totalLength + " bytes exceeds the limit of "
            + maxMessageBytes + " bytes");
      }
      if (headLength > MAX_HEAD || headLength > totalLength) {
        throw new TransportException("a message of " + totalLength + " bytes claims a head of "
            + headLength + " bytes");
      }
      if (length > totalLength) {
        throw new TransportException("a record is longer than its message");
      }
      boolean last = (flags & LAST) != 0;
      if (last && length != totalLength) {
        throw new TransportException("a message ended " + (totalLength - length) + " bytes early");
      }
      if (!last && length == totalLength) {
        throw new TransportException("a message's records are complete but none is marked last");
      }
      head = headLength == 0 ? EMPTY : new byte[headLength];
      body = new byte[totalLength - headLength];
      total = totalLength;
      filled = 0;
      partialKind = kind;
      partialCallId = callId;
      partialParentId = parentId;
      append(data, offset, length);
      if (last) {
        complete();
      }
      return;
    }
    if (body == null) {
      throw new TransportException("a record continues a message that never began");
    }
    if (kind != partialKind || callId != partialCallId || parentId != partialParentId) {
      throw new TransportException("a record of call " + callId + " interleaves call "
          + partialCallId + "'s message");
    }
    if (headLength != 0) {
      throw new TransportException("a record that continues a message claims a head");
    }
    if (length > total - filled) {
      throw new TransportException("records overrun their message's length");
    }
    append(data, offset, length);
    if ((flags & LAST) != 0) {
      if (filled != total) {
        throw new TransportException("a message ended " + (total - filled) + " bytes early");
      }
      complete();
    } else if (filled == total) {
      throw new TransportException("a message's records are complete but none is marked last");
    }
  }

  /** Copies {@code length} checked bytes of the ring into the head, then the body. */
  private void append(MemorySegment data, long offset, int length) {
    int intoHead = Math.max(0, Math.min(length, head.length - filled));
    if (intoHead > 0) {
      MemorySegment.copy(data, ValueLayout.JAVA_BYTE, offset, head, filled, intoHead);
    }
    if (length > intoHead) {
      MemorySegment.copy(data, ValueLayout.JAVA_BYTE, offset + intoHead, body,
          filled + intoHead - head.length, length - intoHead);
    }
    filled += length;
  }

  private void complete() {
    completed = new Message(partialKind, partialCallId, partialParentId, head, body);
    head = null;
    body = null;
  }

  /** Whether a message has begun and not ended: its other records are still to come. */
  boolean inProgress() {
    return body != null;
  }

  /** The message the last record completed, or null; clears it. */
  Message takeCompleted() {
    Message message = completed;
    completed = null;
    return message;
  }
}
