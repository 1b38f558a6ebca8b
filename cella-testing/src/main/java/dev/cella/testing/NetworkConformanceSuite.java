package dev.cella.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cella.BackendInfo;
import dev.cella.Enclave;
import dev.cella.EnclaveException;
import dev.cella.EnclaveOptions;
import dev.cella.EnclaveStatus.Code;
import dev.cella.SecurityLevel;
import dev.cella.bundle.NetworkGrant;
import dev.cella.host.EnclaveManager;
import dev.cella.host.internal.HostEnclave;
import dev.cella.protocol.FrameType;
import dev.cella.protocol.Frames;
import dev.cella.protocol.StreamMessages;
import dev.cella.testing.netapp.NetApp;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manifest's network grants on every backend, run by each backend's test module through a
 * subclass that names the backend: a plain {@code java.net} server inside reached from the host
 * (listen grants), a plain socket from inside to a host server (connect grants), many streams at
 * once, a large transfer. On backends that isolate the enclave (process, vm) the host relays every
 * byte and the grants are enforced: those tests run only there and are skipped on sim, printing
 * why — sim runs the enclave in the host's JVM, where nothing can enforce them.
 *
 * <pre>{@code
 * class ProcessNetworkTest extends NetworkConformanceSuite {
 *   protected String backend() { return "process"; }
 * }
 * }</pre>
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class NetworkConformanceSuite {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  @TempDir Path dir;
  protected EnclaveManager manager;
  private BackendInfo info;
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

  /** The name of the backend under test. */
  protected abstract String backend();

  @BeforeEach
  void createManager() {
    manager = EnclaveManager.create();
    var found = manager.backend(backend());
    assumeTrue(found.isPresent(), "backend '" + backend() + "' is not on the class path");
    info = found.get();
    assumeTrue(info.isAvailable(), () -> "backend '" + backend() + "' is not available here: "
        + info.unavailabilityCause().orElse(""));
  }

  @AfterEach
  void close() throws Exception {
    threads.shutdownNow();
    for (AutoCloseable c : toClose) {
      c.close();
    }
    if (manager != null) {
      manager.close();
    }
  }

  /** Whether the backend relays (and so enforces) the network; skips the test, saying why, if not. */
  protected void assumeEnforced() {
    assumeTrue(info.securityLevel() != SecurityLevel.NONE, () -> "backend '" + backend()
        + "' runs the enclave in the host's JVM: its network grants are not enforced there");
  }

  private Enclave load(String name, EnclaveOptions.Builder options, NetworkGrant... grants)
      throws IOException {
    Path bundle = TestBundles.builder(name, NetApp.class).network(grants).build(dir);
    return manager.load(name, bundle, options.backend(backend()).build());
  }

  private Enclave load(String name, NetworkGrant... grants) throws IOException {
    return load(name, EnclaveOptions.builder(), grants);
  }

  private static String run(Enclave enclave, String command) {
    return new String(enclave.run(command.getBytes(UTF_8)), UTF_8);
  }

  /** A port free on the host's loopback now. */
  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
      return s.getLocalPort();
    }
  }

  /** An echo server on the host's loopback; its port. */
  private int hostEchoServer() throws IOException {
    ServerSocket server = new ServerSocket(0, 64, LOOPBACK);
    toClose.add(server);
    threads.submit(() -> {
      while (!server.isClosed()) {
        Socket socket = server.accept();
        threads.submit(() -> {
          try (socket) {
            socket.getOutputStream().write("host:".getBytes(UTF_8));
            socket.getInputStream().transferTo(socket.getOutputStream());
          }
          return null;
        });
      }
      return null;
    });
    return server.getLocalPort();
  }

  private static byte[] exchange(InetSocketAddress address, byte[] data) throws Exception {
    try (Socket socket = new Socket()) {
      socket.connect(address, 5_000);
      socket.setSoTimeout(30_000);
      Thread writer = Thread.ofVirtual().start(() -> {
        try {
          socket.getOutputStream().write(data);
          socket.shutdownOutput();
        } catch (IOException ignored) {
          // The read below fails too.
        }
      });
      byte[] back = socket.getInputStream().readAllBytes();
      writer.join(30_000);
      return back;
    }
  }

  // ---- listen grants ----

  @Test
  void listenGrant_plainEchoServerInside_isReachedFromTheHost() throws Exception {
    int port = freePort();
    Enclave enclave = load("listen", new NetworkGrant.Listen(port));
    assertThat(run(enclave, "serve " + port)).isEqualTo("serving " + port);

    byte[] back = exchange(enclave.listenAddress(port), "hello enclave".getBytes(UTF_8));

    assertThat(new String(back, UTF_8)).isEqualTo("hello enclave");
  }

  @Test
  void listenGrant_manyConcurrentStreams_eachGetsItsOwnBytesBack() throws Exception {
    int port = freePort();
    Enclave enclave = load("many", new NetworkGrant.Listen(port));
    run(enclave, "serve " + port);
    InetSocketAddress address = enclave.listenAddress(port);
    List<Future<Boolean>> results = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      byte[] data = new byte[20_000 + i];
      new Random(i).nextBytes(data);
      results.add(threads.submit(() -> java.util.Arrays.equals(exchange(address, data), data)));
    }
    for (Future<Boolean> result : results) {
      assertThat(result.get(60, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void listenGrant_largeTransfer_arrivesIntact() throws Exception {
    int port = freePort();
    Enclave enclave = load("large", new NetworkGrant.Listen(port));
    run(enclave, "serve " + port);
    byte[] data = new byte[6 << 20];
    new Random(42).nextBytes(data);

    byte[] back = exchange(enclave.listenAddress(port), data);

    assertThat(back.length).isEqualTo(data.length);
    assertThat(MessageDigest.getInstance("SHA-256").digest(back))
        .isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
  }

  @Test
  void listenAddress_ofAPortNotGranted_isNotFound() throws Exception {
    int port = freePort();
    Enclave enclave = load("nogrant", new NetworkGrant.Listen(port));

    assertThatThrownBy(() -> enclave.listenAddress(port == 65535 ? 1 : port + 1))
        .isInstanceOfSatisfying(EnclaveException.class,
            e -> assertThat(e.code()).isEqualTo(Code.NOT_FOUND));
  }

  @Test
  void streamOpen_forAPortTheManifestDoesNotGrant_isRefusedByTheRuntime() throws Exception {
    int port = freePort();
    Enclave enclave = load("refuse", new NetworkGrant.Listen(port));
    run(enclave, "serve " + port);
    int other = port == 65535 ? 1 : port + 1;
    byte[] frame = Frames.frame(FrameType.STREAM_OPEN, new StreamMessages.Open(7, other).encode());

    assertThatThrownBy(() -> ((HostEnclave) enclave).call(frame))
        .isInstanceOfSatisfying(EnclaveException.class, e -> {
          assertThat(e.code()).isEqualTo(Code.PERMISSION_DENIED);
          assertThat(e.getMessage()).contains("grants no listening on port " + other);
        });
  }

  @Test
  void listenAddress_portZero_acceptsOnAFreeHostPort() throws Exception {
    assumeEnforced();
    int port = freePort();
    Enclave enclave = load("ephemeral", EnclaveOptions.builder()
        .listenAddress(port, new InetSocketAddress(LOOPBACK, 0)), new NetworkGrant.Listen(port));
    run(enclave, "serve " + port);

    InetSocketAddress address = enclave.listenAddress(port);

    assertThat(address.getPort()).isNotEqualTo(port).isPositive();
    assertThat(new String(exchange(address, "x".getBytes(UTF_8)), UTF_8)).isEqualTo("x");
  }

  @Test
  void listenAddress_forAPortNotGranted_failsTheLoad() throws Exception {
    int port = freePort();
    assertThatThrownBy(() -> load("badaddr", EnclaveOptions.builder()
        .listenAddress(port, new InetSocketAddress(LOOPBACK, 0))))
        .isInstanceOfSatisfying(EnclaveException.class, e -> assertThat(e.code())
            .isIn(Code.INVALID_ARGUMENT, Code.FAILED_PRECONDITION));
  }

  @Test
  void listenGrant_connectionWhileNothingListensInside_isClosedByTheHost() throws Exception {
    assumeEnforced();
    int port = freePort();
    Enclave enclave = load("nolistener", new NetworkGrant.Listen(port));

    try (Socket socket = new Socket()) {
      socket.connect(enclave.listenAddress(port), 5_000);
      socket.setSoTimeout(10_000);
      int first;
      try {
        first = socket.getInputStream().read();
      } catch (IOException reset) {
        first = -1;
      }
      assertThat(first).isEqualTo(-1);
    }
  }

  // ---- connect grants ----

  @Test
  void connectGrant_plainSocketToAHostServer_getsItsReply() throws Exception {
    int port = hostEchoServer();
    Enclave enclave = load("out", new NetworkGrant.Connect("127.0.0.1", port));

    assertThat(run(enclave, "connect 127.0.0.1 " + port + " ping")).isEqualTo("reply host:ping");
  }

  @Test
  void connectGrant_byHostName_resolvesInsideAndReachesTheHostServer() throws Exception {
    assumeEnforced();
    String name = InetAddress.getLocalHost().getHostName();
    assumeTrue(InetAddress.getByName(name).isLoopbackAddress(), () -> "this machine's name '"
        + name + "' does not resolve to loopback, and the test reaches loopback only");
    int port = hostEchoServer();
    Enclave enclave = load("byname", new NetworkGrant.Connect(name, port));

    // The first granted name gets 127.0.0.2 inside: the runtime's hosts file answered.
    assertThat(run(enclave, "resolve " + name)).isEqualTo("address 127.0.0.2");
    assertThat(run(enclave, "connect " + name + " " + port + " ping")).isEqualTo("reply host:ping");
  }

  @Test
  void connect_toAPortNotGranted_failsInsideWithConnectException() throws Exception {
    assumeEnforced();
    int granted = hostEchoServer();
    int other = hostEchoServer();
    Enclave enclave = load("denied", new NetworkGrant.Connect("127.0.0.1", granted));

    assertThat(run(enclave, "connect 127.0.0.1 " + other + " ping"))
        .isEqualTo("error ConnectException");
  }

  @Test
  void connect_toANameNotGranted_failsInsideWithUnknownHost() throws Exception {
    assumeEnforced();
    Enclave enclave = load("noname", new NetworkGrant.Connect("127.0.0.1", freePort()));

    assertThat(run(enclave, "connect db.example.com 5432 ping"))
        .isEqualTo("error UnknownHostException");
    assertThat(run(enclave, "resolve localhost")).isEqualTo("address 127.0.0.1");
  }

  @Test
  void connect_toANonLoopbackAddress_failsInsideWithAnIOException() throws Exception {
    assumeEnforced();
    Enclave enclave = load("offbox", new NetworkGrant.Connect("127.0.0.1", freePort()));

    assertThat(run(enclave, "connect 192.0.2.1 80 ping"))
        .isIn("error NoRouteToHostException", "error ConnectException",
            "error SocketException");
  }

  @Test
  void connectGrant_whoseHostServerIsDown_resetsTheProgramsSocket() throws Exception {
    assumeEnforced();
    int port = freePort(); // nothing listens on the host
    Enclave enclave = load("down", new NetworkGrant.Connect("127.0.0.1", port));

    assertThat(run(enclave, "connect 127.0.0.1 " + port + " ping"))
        .isIn("error SocketException", "reply ");
  }

  // ---- crashes ----

  @Test
  void enclaveKilledMidStream_hostSocketsClose_andTheHostLivesOn() throws Exception {
    assumeEnforced();
    int port = freePort();
    Enclave enclave = load("killed", new NetworkGrant.Listen(port));
    run(enclave, "serve " + port);
    List<Socket> sockets = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Socket socket = new Socket();
      socket.connect(enclave.listenAddress(port), 5_000);
      socket.setSoTimeout(15_000);
      socket.getOutputStream().write(1);
      assertThat(socket.getInputStream().read()).isEqualTo(1);
      sockets.add(socket);
      toClose.add(socket);
    }

    run(enclave, "halt");

    AtomicInteger ended = new AtomicInteger();
    for (Socket socket : sockets) {
      InputStream in = socket.getInputStream();
      try {
        if (in.read() == -1) {
          ended.incrementAndGet();
        }
      } catch (IOException reset) {
        ended.incrementAndGet();
      }
    }
    assertThat(ended).hasValue(4);
    // The listener is gone too, and the host loads the next enclave.
    Enclave next = load("after", new NetworkGrant.Listen(freePort()));
    assertThat(run(next, "resolve localhost")).isEqualTo("address 127.0.0.1");
  }
}
