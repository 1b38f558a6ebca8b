package dev.cella.host.internal.net;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.bundle.NetworkGrant;
import dev.cella.protocol.FrameType;
import dev.cella.protocol.Frames;
import dev.cella.protocol.StreamMessages;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * The host's end of the TCP relay of one enclave whose only network is loopback (process, vm):
 * accepts TCP for each of the manifest's listen grants on a host address and opens a stream into
 * the enclave per connection ({@code STREAM_OPEN}); connects, for the enclave's {@code
 * STREAM_CONNECT}, to a granted {@code host:port} and to nothing else. Backend-independent: it
 * moves frames through the connection's {@code call} and the host-call handler, like the {@code
 * ChannelRouter}.
 *
 * <p>When the enclave dies, every host socket of its streams is closed within {@value
 * #WATCH_MILLIS} ms and its listeners stop.
 *
 * <p>Thread-safe.
 */
public final class TcpRelay implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(TcpRelay.class.getName());
  /** The most streams open at once per enclave. */
  public static final int MAX_STREAMS = 256;
  /** How long a connect to a granted destination may take. */
  static final int CONNECT_TIMEOUT_MILLIS = 10_000;
  static final long WATCH_MILLIS = 100;
  private static final int MAX_CHUNK = 128 << 10;

  private final String enclaveName;
  private final Set<Integer> listenPorts = new TreeSet<>();
  private final List<NetworkGrant.Connect> connectGrants = new ArrayList<>();
  private final Map<Integer, InetSocketAddress> requested;
  private final int chunkBytes;
  private final int maxFrameBytes;
  private final ConcurrentMap<Long, HostStream> streams = new ConcurrentHashMap<>();
  private final Map<Integer, ServerSocket> listeners = new LinkedHashMap<>();
  private final AtomicLong nextId = new AtomicLong(1);
  private volatile UnaryOperator<byte[]> toEnclave;
  private volatile boolean closed;

  /**
   * @param grants the measured manifest's network grants
   * @param listenAddresses where to accept for some listen grants, by granted port (port 0: any
   *     free port); the others accept on loopback at the granted port
   * @throws EnclaveException {@code INVALID_ARGUMENT} for an address whose port is not granted
   */
  public TcpRelay(String enclaveName, List<NetworkGrant> grants,
      Map<Integer, InetSocketAddress> listenAddresses, int maxFrameBytes) {
    this.enclaveName = enclaveName;
    for (NetworkGrant grant : grants) {
      switch (grant) {
        case NetworkGrant.Listen l -> listenPorts.add(l.port());
        case NetworkGrant.Connect c -> connectGrants.add(c);
      }
    }
    for (int port : listenAddresses.keySet()) {
      if (!listenPorts.contains(port)) {
        throw new EnclaveException(Code.INVALID_ARGUMENT, "a listen address is set for port "
            + port + ", but the manifest of enclave '" + enclaveName + "' grants no listening on it"
            + " (granted: " + listenPorts + ")");
      }
    }
    this.requested = Map.copyOf(listenAddresses);
    this.maxFrameBytes = maxFrameBytes;
    this.chunkBytes = Math.min(MAX_CHUNK, maxFrameBytes - 64);
  }

  /**
   * Connects the relay to its enclave, before it initializes (its initialize may connect out), and
   * starts watching {@code alive}.
   */
  public void attach(UnaryOperator<byte[]> toEnclave, BooleanSupplier alive) {
    this.toEnclave = toEnclave;
    Thread.ofVirtual().name("cella-relay-watch-" + enclaveName).start(() -> watch(alive));
  }

  /**
   * Opens the host listeners of the listen grants.
   *
   * @throws EnclaveException {@code UNAVAILABLE} when an address cannot be bound
   */
  public synchronized void listen() {
    for (int port : listenPorts) {
      InetSocketAddress address = requested.getOrDefault(port,
          new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      ServerSocket server;
      try {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(address, 64);
      } catch (IOException e) {
        throw new EnclaveException(Code.UNAVAILABLE, "cannot accept connections for enclave '"
            + enclaveName + "' port " + port + " on " + address + ": " + e.getMessage());
      }
      listeners.put(port, server);
      Thread.ofVirtual().name("cella-relay-accept-" + enclaveName + "-" + port)
          .start(() -> acceptLoop(server, port));
    }
  }

  /**
   * Where the host accepts connections for the listen grant {@code port}.
   *
   * @throws EnclaveException {@code NOT_FOUND} when no listener is open for that port
   */
  public synchronized InetSocketAddress listenAddress(int port) {
    ServerSocket server = listeners.get(port);
    if (server == null) {
      throw new EnclaveException(Code.NOT_FOUND, "enclave '" + enclaveName
          + "' has no listen grant on port " + port + " (granted: " + listenPorts + ")");
    }
    return (InetSocketAddress) server.getLocalSocketAddress();
  }

  /** Serves one stream frame from the enclave; returns the OK payload. */
  public byte[] handle(FrameType type, byte[] payload) {
    if (toEnclave == null || closed) {
      throw new EnclaveException(Code.FAILED_PRECONDITION, "enclave '" + enclaveName
          + "' has no stream relay now");
    }
    switch (type) {
      case STREAM_CONNECT -> connect(StreamMessages.Connect.decode(payload));
      case STREAM_SEND -> {
        StreamMessages.Data data = StreamMessages.Data.decode(payload, maxFrameBytes);
        stream(data.stream()).write(data.bytes());
      }
      case STREAM_END -> {
        StreamMessages.Close close = StreamMessages.Close.decode(payload);
        stream(close.stream()).endedByEnclave(close.reset());
      }
      default -> throw new EnclaveException(Code.INVALID_ARGUMENT, type + " is not a stream frame");
    }
    return new byte[0];
  }

  /** Stops the listeners and breaks every stream. Idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      listeners.values().forEach(TcpRelay::closeQuietly);
    }
    for (HostStream stream : new ArrayList<>(streams.values())) {
      stream.abort();
    }
  }

  private void connect(StreamMessages.Connect request) {
    if (!StreamMessages.isEnclaveId(request.stream()) || streams.containsKey(request.stream())) {
      throw new EnclaveException(Code.INVALID_ARGUMENT, "stream id "
          + Long.toUnsignedString(request.stream()) + " is not a new enclave stream id");
    }
    NetworkGrant.Connect target = granted(request.host(), request.port());
    if (streams.size() >= MAX_STREAMS) {
      throw new EnclaveException(Code.RESOURCE_EXHAUSTED, "enclave '" + enclaveName + "' has "
          + MAX_STREAMS + " streams open");
    }
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(target.host(), target.port()), CONNECT_TIMEOUT_MILLIS);
      socket.setTcpNoDelay(true);
    } catch (IOException e) {
      closeQuietly(socket);
      throw new EnclaveException(Code.UNAVAILABLE, "cannot connect to " + target.target() + ": "
          + e.getMessage());
    }
    HostStream stream = register(request.stream(), socket);
    if (stream == null) {
      throw new EnclaveException(Code.RESOURCE_EXHAUSTED, "enclave '" + enclaveName
          + "' cannot open stream " + Long.toUnsignedString(request.stream()));
    }
    stream.start();
  }

  private NetworkGrant.Connect granted(String host, int port) {
    for (NetworkGrant.Connect grant : connectGrants) {
      if (grant.port() == port && grant.host().toLowerCase(Locale.ROOT)
          .equals(host.toLowerCase(Locale.ROOT))) {
        return grant;
      }
    }
    throw new EnclaveException(Code.PERMISSION_DENIED, "the manifest of enclave '" + enclaveName
        + "' grants no connect to " + new NetworkGrant.Connect(host, port).target());
  }

  private void acceptLoop(ServerSocket server, int port) {
    while (!server.isClosed()) {
      Socket accepted;
      try {
        accepted = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      Thread.ofVirtual().name("cella-relay-open-" + enclaveName).start(() -> open(accepted, port));
    }
  }

  private void open(Socket accepted, int port) {
    long id = nextId.getAndIncrement();
    HostStream stream;
    try {
      accepted.setTcpNoDelay(true);
    } catch (IOException e) {
      closeQuietly(accepted);
      return;
    }
    stream = register(id, accepted);
    if (stream == null) {
      LOG.log(System.Logger.Level.WARNING, "enclave ''{0}'': refusing a connection on port {1}:"
          + " {2} streams are open", enclaveName, port, MAX_STREAMS);
      abortQuietly(accepted);
      return;
    }
    try {
      Frames.result(toEnclave.apply(Frames.frame(FrameType.STREAM_OPEN,
          new StreamMessages.Open(id, port).encode())));
    } catch (EnclaveException e) {
      LOG.log(System.Logger.Level.DEBUG, "enclave ''{0}'' refused a stream on port {1}: {2}",
          enclaveName, port, e.getMessage());
      stream.abort();
      return;
    }
    stream.start();
  }

  private HostStream register(long id, Socket socket) {
    if (closed || streams.size() >= MAX_STREAMS) {
      return null;
    }
    HostStream stream;
    try {
      stream = new HostStream(id, socket, toEnclave, chunkBytes, s -> streams.remove(id, s));
    } catch (IOException e) {
      abortQuietly(socket);
      return null;
    }
    if (streams.putIfAbsent(id, stream) != null) {
      stream.abort();
      return null;
    }
    if (closed) {
      stream.abort();
      return null;
    }
    return stream;
  }

  private HostStream stream(long id) {
    HostStream stream = streams.get(id);
    if (stream == null) {
      throw new EnclaveException(Code.NOT_FOUND, "enclave '" + enclaveName
          + "' has no open stream " + Long.toUnsignedString(id));
    }
    return stream;
  }

  private void watch(BooleanSupplier alive) {
    while (!closed) {
      try {
        Thread.sleep(WATCH_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
      if (!alive.getAsBoolean()) {
        LOG.log(System.Logger.Level.DEBUG, "enclave ''{0}'' is gone: closing its streams",
            enclaveName);
        close();
        return;
      }
    }
  }

  private static void abortQuietly(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (IOException ignored) {
      // Closing anyway.
    }
    closeQuietly(socket);
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception ignored) {
      // Closed either way.
    }
  }
}
