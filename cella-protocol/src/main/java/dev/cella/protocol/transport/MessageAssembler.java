package dev.cella.protocol.transport;

import static dev.cella.protocol.transport.RingLayout.FIRST;
import static dev.cella.protocol.transport.RingLayout.KIND_REQUEST;
import static dev.cella.protocol.transport.RingLayout.LAST;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Joins the records of a ring into messages. A producer writes the records of one message one
 * after the other, so at most one message is in progress; its total length is checked against
 * the limit before its buffer is allocated, and every later record must continue exactly that
 * message and stay within its length.
 *
 * <p>Not thread-safe: used by the current reader of the ring only.
 */
final class MessageAssembler implements RingReader.Sink {
  private final int maxMessageBytes;
  private byte[] partial;
  private int filled;
  private byte partialKind;
  private long partialCallId;
  private long partialParentId;
  private Message completed;

  MessageAssembler(int maxMessageBytes) {
    this.maxMessageBytes = maxMessageBytes;
  }

  @Override
  public void record(byte kind, byte flags, long callId, long parentId, int totalLength,
      MemorySegment data, long offset, int length) {
    if (completed != null) {
      throw new IllegalStateException("the completed message was not taken");
    }
    if (kind != KIND_REQUEST && parentId != 0) {
      throw new TransportException("a response names a parent call");
    }
    if ((flags & FIRST) != 0) {
      if (partial != null) {
        throw new TransportException("a message began inside call " + partialCallId + "'s message");
      }
      if (totalLength < 0 || totalLength > maxMessageBytes) {
        throw new TransportException("a message of " + totalLength + " bytes exceeds the limit of "
            + maxMessageBytes + " bytes");
      }
      if (length > totalLength) {
        throw new TransportException("a record is longer than its message");
      }
      byte[] payload = new byte[totalLength];
      MemorySegment.copy(data, ValueLayout.JAVA_BYTE, offset, payload, 0, length);
      if ((flags & LAST) != 0) {
        if (length != totalLength) {
          throw new TransportException("a message ended " + (totalLength - length) + " bytes early");
        }
        completed = new Message(kind, callId, parentId, payload);
        return;
      }
      if (length == totalLength) {
        throw new TransportException("a message's records are complete but none is marked last");
      }
      partial = payload;
      filled = length;
      partialKind = kind;
      partialCallId = callId;
      partialParentId = parentId;
      return;
    }
    if (partial == null) {
      throw new TransportException("a record continues a message that never began");
    }
    if (kind != partialKind || callId != partialCallId || parentId != partialParentId) {
      throw new TransportException("a record of call " + callId + " interleaves call "
          + partialCallId + "'s message");
    }
    if (length > partial.length - filled) {
      throw new TransportException("records overrun their message's length");
    }
    MemorySegment.copy(data, ValueLayout.JAVA_BYTE, offset, partial, filled, length);
    filled += length;
    if ((flags & LAST) != 0) {
      if (filled != partial.length) {
        throw new TransportException("a message ended " + (partial.length - filled) + " bytes early");
      }
      completed = new Message(partialKind, partialCallId, partialParentId, partial);
      partial = null;
    } else if (filled == partial.length) {
      throw new TransportException("a message's records are complete but none is marked last");
    }
  }

  /** The message the last record completed, or null; clears it. */
  Message takeCompleted() {
    Message message = completed;
    completed = null;
    return message;
  }
}
