package dev.cella.enclave.internal.channel;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.protocol.ChannelMessages;
import dev.cella.protocol.Frames;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The enclave's channel ends by the host's ids: where {@code CHANNEL_DELIVER} and {@code
 * CHANNEL_CLOSED} frames go. Bytes may arrive for an end before the enclave has finished opening
 * it (the peer can be quick), so an inbox is made on first use; the number of inboxes is bounded,
 * so a host inventing ids cannot fill the heap.
 *
 * <p>Thread-safe.
 */
public final class ChannelHub {
  /** The most channel ends (open or announced) at once. */
  static final int MAX_ENDS = 1024;

  private final ConcurrentMap<Long, Inbox> inboxes = new ConcurrentHashMap<>();
  private final ConcurrentMap<Long, TlsChannel> open = new ConcurrentHashMap<>();
  private volatile int maxFrameBytes = -1;
  private volatile boolean closed;

  /** Accepts deliveries from now on, each of at most {@code maxFrameBytes}. */
  public void start(int maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
  }

  /** Serves a {@code CHANNEL_DELIVER} frame; returns the answer frame's payload. */
  public byte[] deliver(byte[] frame) throws InterruptedException {
    int max = requireStarted();
    ChannelMessages.Data data = ChannelMessages.Data.decode(Frames.payload(frame), max);
    inbox(data.channel()).offer(data.bytes());
    return new byte[0];
  }

  /** Serves a {@code CHANNEL_CLOSED} frame. */
  public byte[] closed(byte[] frame) {
    requireStarted();
    ChannelMessages.Close close = ChannelMessages.Close.decode(Frames.payload(frame));
    Inbox inbox = inboxes.get(close.channel());
    if (inbox != null) {
      inbox.close(close.reason());
    }
    return new byte[0];
  }

  /** The inbox of end {@code id}, made if needed. */
  Inbox inbox(long id) {
    if (closed) {
      throw new EnclaveException(Code.FAILED_PRECONDITION, "the enclave's channels are closed");
    }
    Inbox inbox = inboxes.get(id);
    if (inbox != null) {
      return inbox;
    }
    if (inboxes.size() >= MAX_ENDS) {
      throw new EnclaveException(Code.RESOURCE_EXHAUSTED, "the enclave has " + MAX_ENDS
          + " channel ends already");
    }
    return inboxes.computeIfAbsent(id, k -> new Inbox());
  }

  void opened(long id, TlsChannel channel) {
    open.put(id, channel);
  }

  void forget(long id) {
    open.remove(id);
    Inbox inbox = inboxes.remove(id);
    if (inbox != null) {
      inbox.close("the channel is closed");
    }
  }

  int maxFrameBytes() {
    return requireStarted();
  }

  /** Closes every open channel (telling the peers) and refuses later deliveries. */
  public void close() {
    closed = true;
    for (TlsChannel channel : new ArrayList<>(open.values())) {
      channel.close();
    }
    inboxes.values().forEach(inbox -> inbox.close("the enclave is finishing"));
    inboxes.clear();
  }

  private int requireStarted() {
    int max = maxFrameBytes;
    if (max < 0) {
      throw new EnclaveException(Code.FAILED_PRECONDITION, "the enclave is not initialized");
    }
    if (closed) {
      throw new EnclaveException(Code.FAILED_PRECONDITION, "the enclave's channels are closed");
    }
    return max;
  }
}
