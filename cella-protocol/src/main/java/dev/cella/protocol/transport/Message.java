package dev.cella.protocol.transport;

/**
 * One whole message that crossed a ring: a request, its response, or the notice that the request
 * could not be answered.
 *
 * @param kind {@link RingLayout#KIND_REQUEST}, {@link RingLayout#KIND_RESPONSE} or {@link
 *     RingLayout#KIND_ABORT}
 * @param callId the id the requesting side gave the call
 * @param parentId for a request, the id of the receiving side's call it is nested in, else 0
 * @param payload the frame (owned by the receiver)
 */
record Message(byte kind, long callId, long parentId, byte[] payload) {
  boolean isRequest() {
    return kind == RingLayout.KIND_REQUEST;
  }
}
