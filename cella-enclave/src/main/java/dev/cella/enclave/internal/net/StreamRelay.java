package dev.cella.enclave.internal.net;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.protocol.FrameType;
import dev.cella.protocol.Frames;
import dev.cella.protocol.StreamMessages;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The trusted runtime's end of the TCP relay, for backends whose enclave has no network but
 * loopback (process, vm): streams the host opens into the enclave's listen grants ({@code
 * STREAM_OPEN}) and streams the enclave's program opens to its connect grants (through the
 * {@link OutboundListener}s, {@code STREAM_CONNECT}). Only the manifest's grants, as the runtime
 * measured them, are honoured: a {@code STREAM_OPEN} for another port is refused with {@code
 * PERMISSION_DENIED}, and no listener exists for a destination that is not granted, so the
 * program's connect fails there with an ordinary {@code ConnectException}.
 *
 * <p>On sim the runtime is made with {@link NetworkPlan#NONE} and refuses every stream: sim's
 * enclave uses the host's network directly.
 *
 * <p>Thread-safe.
 */
public final class StreamRelay {
  private static final System.Logger LOG = System.getLogger(StreamRelay.class.getName());
  /** The most streams open at once. */
  static final int MAX_STREAMS = 256;
  /** The largest chunk one frame carries. */
  static final int MAX_CHUNK = 128 << 10;
  private static final int OPEN_TIMEOUT_MILLIS = 5_000;

  private final NetworkPlan plan;
  private final HostCall host;
  private final ConcurrentMap<Long, RelayedStream> streams = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong(Long.MIN_VALUE + 1);
  private final List<OutboundListener> listeners = new ArrayList<>();
  private volatile int maxFrameBytes = -1;
  private volatile boolean closed;

  public StreamRelay(NetworkPlan plan, HostCall host) {
    this.plan = plan;
    this.host = host;
  }

  /**
   * Starts relaying, each frame at most {@code maxFrameBytes}: opens a listener inside for every
   * reachable connect grant.
   *
   * @throws EnclaveException {@code FAILED_PRECONDITION} when the plan has a conflict or a
   *     listener cannot be opened
   */
  public synchronized void start(int maxFrameBytes) {
    plan.requireNoConflict();
    this.maxFrameBytes = maxFrameBytes;
    for (NetworkGrantWarning w : NetworkGrantWarning.of(plan)) {
      LOG.log(System.Logger.Level.WARNING, w.message());
    }
    try {
      for (NetworkPlan.Outbound outbound : plan.outbound()) {
        listeners.add(OutboundListener.open(outbound, this));
      }
    } catch (IOException e) {
      close();
      throw new EnclaveException(Code.FAILED_PRECONDITION,
          "the runtime cannot listen inside the sandbox for its connect grants: " + e.getMessage());
    }
  }

  /** Serves {@code STREAM_OPEN}: connects to the granted port inside. */
  public byte[] open(byte[] frame) {
    StreamMessages.Open open = StreamMessages.Open.decode(Frames.payload(frame));
    requireStarted();
    if (StreamMessages.isEnclaveId(open.stream())) {
      throw new EnclaveException(Code.INVALID_ARGUMENT, "stream id "
          + Long.toUnsignedString(open.stream()) + " is not one the host may choose");
    }
    if (!plan.listenPorts().contains(open.port())) {
      throw new EnclaveException(Code.PERMISSION_DENIED, "the enclave's manifest grants no "
          + "listening on port " + open.port());
    }
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), open.port()),
          OPEN_TIMEOUT_MILLIS);
      socket.setTcpNoDelay(true);
    } catch (IOException e) {
      closeQuietly(socket);
      throw new EnclaveException(Code.UNAVAILABLE, "nothing accepts on 127.0.0.1:" + open.port()
          + " inside the enclave: " + e.getMessage());
    }
    if (!register(open.stream(), socket)) {
      throw new EnclaveException(Code.RESOURCE_EXHAUSTED, "the enclave has " + streams.size()
          + " streams open, or stream " + Long.toUnsignedString(open.stream()) + " exists");
    }
    return new byte[0];
  }

  /** Serves {@code STREAM_DATA}: writes the bytes into the stream's socket. */
  public byte[] data(byte[] frame) {
    StreamMessages.Data data = StreamMessages.Data.decode(Frames.payload(frame), requireStarted());
    stream(data.stream()).write(data.bytes());
    return new byte[0];
  }

  /** Serves {@code STREAM_CLOSE}. */
  public byte[] closed(byte[] frame) {
    StreamMessages.Close close = StreamMessages.Close.decode(Frames.payload(frame));
    requireStarted();
    RelayedStream stream = streams.get(close.stream());
    if (stream != null) {
      stream.closedByHost(close.reset());
    }
    return new byte[0];
  }

  /** A socket the program opened to a connect grant: asks the host to connect, then relays. */
  void outbound(Socket accepted, NetworkPlan.Outbound outbound) {
    long id = nextId.getAndIncrement();
    try {
      if (closed || streams.size() >= MAX_STREAMS) {
        throw new EnclaveException(Code.RESOURCE_EXHAUSTED, "too many streams");
      }
      accepted.setTcpNoDelay(true);
      // Registered before the host hears of it, so its first bytes find the stream.
      if (!register(id, accepted, false)) {
        throw new EnclaveException(Code.RESOURCE_EXHAUSTED, "too many streams");
      }
      host.call(FrameType.STREAM_CONNECT, new StreamMessages.Connect(id,
          outbound.grant().host(), outbound.grant().port()).encode());
      streams.get(id).start();
    } catch (EnclaveException | IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "connect to {0} refused: {1}",
          outbound.grant().target(), e.getMessage());
      RelayedStream stream = streams.get(id);
      if (stream != null) {
        stream.resetLocally();
      } else {
        OutboundListener.reset(accepted);
      }
    } catch (RuntimeException e) {
      OutboundListener.reset(accepted);
      streams.remove(id);
    }
  }

  /** Closes every listener and stream; later frames are refused. Idempotent. */
  public synchronized void close() {
    closed = true;
    listeners.forEach(OutboundListener::close);
    listeners.clear();
    for (RelayedStream stream : new ArrayList<>(streams.values())) {
      stream.resetLocally();
    }
  }

  private boolean register(long id, Socket socket) {
    boolean ok = register(id, socket, true);
    if (!ok) {
      closeQuietly(socket);
    }
    return ok;
  }

  private boolean register(long id, Socket socket, boolean start) {
    if (closed || streams.size() >= MAX_STREAMS) {
      return false;
    }
    int chunk = Math.min(MAX_CHUNK, maxFrameBytes - 64);
    RelayedStream stream;
    try {
      stream = new RelayedStream(id, socket, host, chunk, s -> streams.remove(id, s));
    } catch (IOException e) {
      return false;
    }
    if (streams.putIfAbsent(id, stream) != null) {
      stream.resetLocally();
      return false;
    }
    if (start) {
      stream.start();
    }
    return true;
  }

  private RelayedStream stream(long id) {
    RelayedStream stream = streams.get(id);
    if (stream == null) {
      throw new EnclaveException(Code.NOT_FOUND, "the enclave has no open stream "
          + Long.toUnsignedString(id));
    }
    return stream;
  }

  private int requireStarted() {
    int max = maxFrameBytes;
    if (max < 0) {
      throw new EnclaveException(Code.FAILED_PRECONDITION, "the enclave is not initialized");
    }
    if (closed) {
      throw new EnclaveException(Code.FAILED_PRECONDITION, "the enclave's streams are closed");
    }
    return max;
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Closed either way.
    }
  }
}
