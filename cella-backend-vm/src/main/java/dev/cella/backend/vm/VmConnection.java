package dev.cella.backend.vm;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.protocol.transport.StreamEndpoint;
import dev.cella.protocol.transport.TransportException;
import dev.cella.spi.ChildOutput;
import dev.cella.spi.EnclaveConnection;
import dev.cella.spi.LaunchRequest;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The host's end of an enclave in a QEMU micro-VM: frames cross the VM's one virtio serial port,
 * which QEMU connects to a Unix-domain socket the host listens on (in an owner-only folder) only
 * until QEMU has connected, as a {@link StreamEndpoint}. The guest's runtime says hello once it
 * has measured its bundle and opened the port; that is "ready". When QEMU ends — killed, the
 * guest powered off after its runtime died, a kernel panic — every pending and later call fails
 * with {@code UNAVAILABLE} at once. {@link #close} stops QEMU and deletes the folder.
 *
 * <p>Thread-safe.
 */
final class VmConnection implements EnclaveConnection {
  private static final System.Logger LOG = System.getLogger(VmConnection.class.getName());
  private static final long GRACEFUL_EXIT_MILLIS = 500;
  private static final long EXIT_WAIT_MILLIS = 200;
  private static final long ACCEPT_TIMEOUT_SECONDS = 30;

  private final String name;
  private final Process qemu;
  private final ChildOutput console;
  private final StreamEndpoint endpoint;
  private final Path folder;
  private final Map<String, String> measurements;
  private final AtomicBoolean closed = new AtomicBoolean();

  private VmConnection(String name, Process qemu, ChildOutput console, StreamEndpoint endpoint,
      Path folder, Map<String, String> measurements) {
    this.name = name;
    this.qemu = qemu;
    this.console = console;
    this.endpoint = endpoint;
    this.folder = folder;
    this.measurements = measurements;
  }

  /** Boots the VM and waits until its runtime has said hello. */
  static VmConnection start(VmSetup setup, LaunchRequest request, int maxMessageBytes) {
    String name = request.enclaveName();
    long started = System.nanoTime();
    Path folder = privateFolder(name);
    Process qemu = null;
    try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      Path socketFile = folder.resolve("channel");
      listener.bind(UnixDomainSocketAddress.of(socketFile));
      Path initrd = folder.resolve("initramfs.cpio");
      VmImage image = setup.image(initrd, request, maxMessageBytes);
      List<String> command = QemuCommand.of(setup.sources(), setup.accelerator(), image,
          initrd, socketFile, memoryMebibytes(request), name);
      qemu = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      ChildOutput console = ChildOutput.start(name, "vm", qemu.getInputStream(),
          Optional.of("Kernel panic"));
      SocketChannel socket = acceptWhileAlive(listener, qemu);
      if (socket == null) {
        throw notStarted(name, qemu, console, "QEMU did not connect the channel");
      }
      listener.close();
      Files.deleteIfExists(socketFile);
      StreamEndpoint endpoint = StreamEndpoint.builder(Channels.newInputStream(socket),
              Channels.newOutputStream(socket), request.hostCalls()::handle)
          .name("enclave '" + name + "'").maxMessageBytes(maxMessageBytes)
          .closeOnFailure(socket).build();
      Process vm = qemu;
      qemu.onExit().thenRun(() -> endpoint.fail("enclave '" + name + "': the VM stopped"));
      endpoint.start();
      Duration timeout = setup.accelerator().bootTimeout();
      if (!endpoint.awaitHello(timeout)) {
        boolean timedOut = endpoint.isAlive();
        endpoint.fail("enclave '" + name + "' did not start");
        throw notStarted(name, vm, console, timedOut
            ? "the VM's runtime did not start within " + timeout.toSeconds() + " s"
            : "the VM stopped before its runtime started");
      }
      // QEMU loaded the initramfs before the guest ran: the copy is no longer needed.
      Files.deleteIfExists(initrd);
      Duration boot = Duration.ofNanos(System.nanoTime() - started);
      LOG.log(System.Logger.Level.INFO, "enclave ''{0}'': VM runtime up in {1} ms ({2})", name,
          boot.toMillis(), setup.accelerator().id);
      VmConnection connection = new VmConnection(name, vm, console, endpoint, folder,
          image.evidenceFacts());
      vm.onExit().thenRunAsync(connection::exited);
      return connection;
    } catch (IOException | InterruptedException | RuntimeException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      if (qemu != null) {
        destroy(qemu);
      }
      ImageBuilder.deleteTree(folder);
      if (e instanceof EnclaveException ee) {
        throw ee;
      }
      throw new EnclaveException(Code.UNAVAILABLE,
          "cannot start enclave '" + name + "' in a VM: " + e.getMessage(), e);
    }
  }

  /** Guest memory: the heap plus room for the unpacked image, the JVM and the kernel. */
  static int memoryMebibytes(LaunchRequest request) {
    return request.limits().heapMebibytes() + 384;
  }

  private static EnclaveException notStarted(String name, Process qemu, ChildOutput console,
      String what) {
    destroy(qemu);
    console.awaitEnd(1000);
    String said = console.lastLines();
    return new EnclaveException(Code.UNAVAILABLE, "enclave '" + name + "': " + what
        + (qemu.isAlive() ? "" : " (QEMU exit status " + qemu.exitValue() + ")")
        + (said.isEmpty() ? "" : ": " + said));
  }

  private static SocketChannel acceptWhileAlive(ServerSocketChannel listener, Process qemu)
      throws IOException {
    listener.configureBlocking(false);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ACCEPT_TIMEOUT_SECONDS);
    try (Selector selector = Selector.open()) {
      listener.register(selector, SelectionKey.OP_ACCEPT);
      while (qemu.isAlive() && System.nanoTime() < deadline) {
        selector.select(100);
        SocketChannel socket = listener.accept();
        if (socket != null) {
          socket.configureBlocking(true);
          return socket;
        }
      }
      return null;
    }
  }

  @Override
  public byte[] call(byte[] frame) {
    try {
      return endpoint.call(frame);
    } catch (TransportException e) {
      throw new EnclaveException(Code.UNAVAILABLE, whyUnavailable(e.getMessage()));
    }
  }

  /** The VM's end, when that is why the channel failed; else the channel's reason. */
  private String whyUnavailable(String channelReason) {
    return !closed.get() && ChildOutput.awaitExit(qemu, EXIT_WAIT_MILLIS)
        ? exitDescription() : channelReason;
  }

  private String exitDescription() {
    console.awaitEnd(EXIT_WAIT_MILLIS);
    String said = console.lastLines();
    return "enclave '" + name + "' is unavailable: its VM stopped (QEMU exit status "
        + qemu.exitValue() + ")" + (said.isEmpty() ? "" : ": " + said);
  }

  @Override
  public boolean isAlive() {
    return endpoint.isAlive() && qemu.isAlive();
  }

  @Override
  public Map<String, String> launchMeasurements() {
    return measurements;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    endpoint.fail("enclave '" + name + "' is closed");
    try {
      if (!qemu.waitFor(GRACEFUL_EXIT_MILLIS, TimeUnit.MILLISECONDS)) {
        destroy(qemu);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      destroy(qemu);
    }
    ImageBuilder.deleteTree(folder);
  }

  private void exited() {
    endpoint.fail(closed.get() ? "enclave '" + name + "' is closed" : exitDescription());
    if (!closed.get()) {
      LOG.log(System.Logger.Level.WARNING, "enclave ''{0}'': its VM stopped (QEMU exit status"
          + " {1})", name, qemu.exitValue());
    }
  }

  private static void destroy(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(GRACEFUL_EXIT_MILLIS, TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static Path privateFolder(String name) {
    try {
      return Files.createTempDirectory("cella-vm-" + name.replaceAll("[^A-Za-z0-9._-]", "_") + "-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException | UnsupportedOperationException e) {
      throw new EnclaveException(Code.INTERNAL,
          "cannot make a private folder for the enclave's VM: " + e.getMessage(), e);
    }
  }
}
