package dev.cella.host.internal;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.protocol.ChannelMessages;
import dev.cella.protocol.FrameType;
import dev.cella.protocol.Frames;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * Wires the enclaves of one manager together by name and relays their channels' bytes. A channel
 * is two ends, one per enclave, each with its own id; an enclave may use only the ends the router
 * gave it. The bytes are TLS records the enclaves made: the router never reads them, and nothing
 * here could (the keys never leave the enclaves).
 *
 * <p>A connect to an enclave that is not loaded fails at once ({@code NOT_FOUND}); one that is not
 * accepted in time fails with {@code DEADLINE_EXCEEDED}; one to an enclave that goes away while
 * waiting, or a send to a peer that has gone, fails with {@code UNAVAILABLE} and closes the
 * channel. Waiting connections are bounded per enclave ({@value #BACKLOG}).
 *
 * <p>Thread-safe.
 */
public final class ChannelRouter {
  /** How many connections may wait for one enclave's accept. */
  static final int BACKLOG = 64;

  private final ConcurrentMap<String, ChannelEndpoint> endpoints = new ConcurrentHashMap<>();
  private final ConcurrentMap<Long, End> ends = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong(1);

  /** One end of a channel: whose it is, and the other end. */
  private record End(String owner, long peerId, String peer) {}

  /**
   * Makes the enclave {@code name} reachable; {@code toEnclave} sends a request frame into it and
   * returns its answer.
   */
  public void register(String name, UnaryOperator<byte[]> toEnclave) {
    Objects.requireNonNull(toEnclave, "toEnclave");
    if (endpoints.putIfAbsent(name, new ChannelEndpoint(name, toEnclave, BACKLOG)) != null) {
      throw new EnclaveException(Code.ALREADY_EXISTS, "enclave '" + name + "' is already wired");
    }
  }

  /**
   * Makes {@code name} unreachable: its channels close (their peers are told), connections waiting
   * for it fail, its own waiting accepts end. Idempotent.
   */
  public void unregister(String name) {
    ChannelEndpoint endpoint = endpoints.remove(name);
    if (endpoint == null) {
      return;
    }
    endpoint.close();
    for (Map.Entry<Long, End> e : ends.entrySet()) {
      if (e.getValue().owner().equals(name)) {
        closeChannel(e.getKey(), "enclave '" + name + "' is gone");
      }
    }
  }

  /** Serves one channel frame from enclave {@code caller}; returns the OK payload. */
  byte[] handle(String caller, FrameType type, byte[] payload, int maxFrameBytes) {
    return switch (type) {
      case CHANNEL_CONNECT -> ChannelMessages.encodeChannelId(
          connect(caller, ChannelMessages.Connect.decode(payload)));
      case CHANNEL_ACCEPT -> accept(caller, ChannelMessages.Accept.decode(payload)).encode();
      case CHANNEL_SEND -> {
        send(caller, ChannelMessages.Data.decode(payload, maxFrameBytes));
        yield new byte[0];
      }
      case CHANNEL_CLOSE -> {
        ChannelMessages.Close close = ChannelMessages.Close.decode(payload);
        ownEnd(caller, close.channel());
        closeChannel(close.channel(), "enclave '" + caller + "' closed the channel");
        yield new byte[0];
      }
      default -> throw new EnclaveException(Code.INVALID_ARGUMENT, type + " is not a channel frame");
    };
  }

  private long connect(String caller, ChannelMessages.Connect request) {
    ChannelEndpoint target = endpoints.get(request.peer());
    if (target == null) {
      throw new EnclaveException(Code.NOT_FOUND, "no enclave named '" + request.peer()
          + "' is loaded in this manager");
    }
    ChannelEndpoint.Pending pending = target.offer(caller);
    try {
      return pending.await(request.timeoutMillis(), TimeUnit.MILLISECONDS, request.peer());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnclaveException(Code.CANCELLED, "interrupted while connecting to '"
          + request.peer() + "'");
    }
  }

  private ChannelMessages.Accepted accept(String caller, ChannelMessages.Accept request) {
    ChannelEndpoint self = endpoints.get(caller);
    if (self == null) {
      throw new EnclaveException(Code.UNAVAILABLE, "enclave '" + caller + "' is not wired");
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(request.timeoutMillis());
    try {
      while (true) {
        ChannelEndpoint.Pending pending = self.take(deadline, request.timeoutMillis());
        long mine = nextId.getAndIncrement();
        long theirs = nextId.getAndIncrement();
        ends.put(mine, new End(caller, theirs, pending.from()));
        ends.put(theirs, new End(pending.from(), mine, caller));
        if (pending.complete(theirs)) {
          return new ChannelMessages.Accepted(mine, pending.from());
        }
        // The connecting side gave up just now; wait for the next.
        ends.remove(mine);
        ends.remove(theirs);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnclaveException(Code.CANCELLED, "interrupted while accepting");
    }
  }

  private void send(String caller, ChannelMessages.Data data) {
    End end = ownEnd(caller, data.channel());
    ChannelEndpoint peer = endpoints.get(end.peer());
    if (peer == null) {
      closeChannel(data.channel(), "enclave '" + end.peer() + "' is gone");
      throw new EnclaveException(Code.UNAVAILABLE, "the channel's peer, enclave '" + end.peer()
          + "', is gone");
    }
    try {
      peer.deliver(FrameType.CHANNEL_DELIVER,
          new ChannelMessages.Data(end.peerId(), data.bytes()).encode());
    } catch (EnclaveException e) {
      closeChannel(data.channel(), "enclave '" + end.peer() + "' refused the channel's data");
      throw new EnclaveException(Code.UNAVAILABLE, "enclave '" + end.peer()
          + "' refused the channel's data: " + e.getMessage(), e);
    }
  }

  private End ownEnd(String caller, long id) {
    End end = ends.get(id);
    if (end == null || !end.owner().equals(caller)) {
      throw new EnclaveException(Code.NOT_FOUND, "enclave '" + caller + "' has no open channel "
          + Long.toUnsignedString(id));
    }
    return end;
  }

  /** Removes both ends of the channel of end {@code id} and tells the other side. */
  private void closeChannel(long id, String reason) {
    End end = ends.remove(id);
    if (end == null) {
      return;
    }
    ends.remove(end.peerId());
    ChannelEndpoint peer = endpoints.get(end.peer());
    if (peer != null) {
      try {
        peer.deliver(FrameType.CHANNEL_CLOSED,
            new ChannelMessages.Close(end.peerId(), reason).encode());
      } catch (EnclaveException ignored) {
        // The peer is finishing or gone; its end is closed either way.
      }
    }
  }

  /** Sends a frame into {@code toEnclave} and returns the OK payload; errors as exceptions. */
  static byte[] call(UnaryOperator<byte[]> toEnclave, FrameType type, byte[] payload) {
    return Frames.result(toEnclave.apply(Frames.frame(type, payload)));
  }
}
