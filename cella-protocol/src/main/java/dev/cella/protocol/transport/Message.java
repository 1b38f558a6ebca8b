package dev.cella.protocol.transport;

import dev.cella.spi.FrameParts;

/**
 * One whole message that crossed a ring: a request, its response, or the notice that the request
 * could not be answered.
 *
 * @param kind {@link RingLayout#KIND_REQUEST}, {@link RingLayout#KIND_RESPONSE} or {@link
 *     RingLayout#KIND_ABORT}
 * @param callId the id the requesting side gave the call
 * @param parentId for a request, the id of the receiving side's call it is nested in, else 0
 * @param head the frame's head as the sender split it off (often empty; owned by the receiver)
 * @param body the rest of the frame (owned by the receiver)
 */
record Message(byte kind, long callId, long parentId, byte[] head, byte[] body) {
  boolean isRequest() {
    return kind == RingLayout.KIND_REQUEST;
  }

  /** The frame in its two parts. */
  FrameParts parts() {
    return new FrameParts(head, body);
  }

  /** The frame as one array (joined, when it came with a head). */
  byte[] frame() {
    return head.length == 0 ? body : parts().joined();
  }
}
