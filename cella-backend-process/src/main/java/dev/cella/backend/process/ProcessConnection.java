package dev.cella.backend.process;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.protocol.Frames;
import dev.cella.protocol.transport.Doorbell;
import dev.cella.protocol.transport.Endpoint;
import dev.cella.protocol.transport.SharedChannel;
import dev.cella.protocol.transport.TransportException;
import dev.cella.spi.ChildOutput;
import dev.cella.spi.EnclaveConnection;
import dev.cella.spi.FrameParts;
import dev.cella.spi.LaunchRequest;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The host's end of an enclave in a sandboxed child JVM: frames cross the shared-memory channel
 * through an {@link Endpoint}; the host rings the child on its standard input; the child rings a
 * waiting host caller on a Unix-domain socket that the host listens on only until the child
 * connects, and the host's doorbell thread on its standard output. When the
 * process ends — killed, {@code System.exit}, out of memory — a reaper fails every pending and
 * later call with {@code UNAVAILABLE} at once. The channel and socket files are deleted as soon as
 * the child has mapped and connected them; {@link #close} stops the process and frees the memory.
 *
 * <p>Thread-safe.
 */
final class ProcessConnection implements EnclaveConnection {
  private static final System.Logger LOG = System.getLogger(ProcessConnection.class.getName());
  private static final long START_TIMEOUT_SECONDS = 60;
  private static final long GRACEFUL_EXIT_MILLIS = 500;
  private static final long EXIT_WAIT_MILLIS = 200;
  private static final long ACCEPT_POLL_MILLIS = 100;

  private final String name;
  private final Process process;
  private final SharedChannel channel;
  private final Doorbell doorbell;
  private final ChildOutput output;
  private final Endpoint endpoint;
  private final Path folder;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ProcessConnection(String name, Process process, SharedChannel channel,
      Doorbell doorbell, ChildOutput output, Endpoint endpoint, Path folder) {
    this.name = name;
    this.process = process;
    this.channel = channel;
    this.doorbell = doorbell;
    this.output = output;
    this.endpoint = endpoint;
    this.folder = folder;
  }

  /** Starts the enclave process and waits until it has mapped the channel. */
  static ProcessConnection start(Sandbox sandbox, LaunchRequest request, int ringCapacity,
      int maxMessageBytes, Optional<AotCache> aot) {
    ChildJvm.trace("host-launch");
    String name = request.enclaveName();
    Path folder = privateFolder(name);
    SharedChannel channel = null;
    Process process = null;
    try (ServerSocketChannel bell = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      Path channelFile = folder.resolve("channel");
      Path bellFile = folder.resolve("doorbell");
      channel = SharedChannel.create(channelFile, ringCapacity);
      bell.bind(UnixDomainSocketAddress.of(bellFile));
      String aotKey = null;
      Optional<Path> aotFile = Optional.empty();
      if (aot.isPresent()) {
        AotCache.fixJarTimes(request.classPath());
        aotKey = AotCache.key(request, ChildJvm.options(request.limits(), ""));
        aotFile = aot.get().lookup(aotKey);
      }
      List<String> command = sandbox.command(request.bundleFile(), request.classPath(),
          channelFile, bellFile, request.limits(), maxMessageBytes, name,
          SandboxGrants.of(request, sandbox.systemPaths()), aotFile);
      ChildJvm.trace("host-command");
      process = new ProcessBuilder(command).start();
      ChildJvm.trace("host-spawned");
      ChildOutput output = ChildOutput.start(name, "process", process.getErrorStream(),
          Optional.empty());
      Doorbell doorbell = awaitStart(name, process, channel, bell, output);
      bell.close();
      deleteQuietly(folder);
      int hostThreads = request.limits().threads();
      Endpoint endpoint = Endpoint.builder(channel.hostRings(), doorbell,
              request.hostCalls()::handle)
          .name("enclave '" + name + "'").maxMessageBytes(maxMessageBytes)
          .maxServing(hostThreads, frame -> Frames.error(Code.RESOURCE_EXHAUSTED, "the host "
              + "already serves " + hostThreads + " host calls of enclave '" + name + "' at once, "
              + "the most it allows (the manifest's limits.threads)"))
          .build();
      ProcessConnection connection =
          new ProcessConnection(name, process, channel, doorbell, output, endpoint, folder);
      process.onExit().thenRunAsync(connection::exited);
      endpoint.start();
      if (aotKey != null && aotFile.isEmpty()) {
        // The jars stay until the enclave is closed; a training run long after that finds them
        // gone, fails and leaves no cache, and a later start trains again.
        aot.get().trainInBackground(aotKey, out -> sandbox.trainingCommand(request.bundleFile(),
            request.classPath(), request.limits(), out));
      }
      return connection;
    } catch (IOException | RuntimeException e) {
      if (process != null) {
        destroy(process);
      }
      if (channel != null) {
        channel.close();
      }
      deleteQuietly(folder);
      if (e instanceof EnclaveException ee) {
        throw ee;
      }
      throw new EnclaveException(Code.UNAVAILABLE,
          "cannot start enclave '" + name + "' in a process: " + e.getMessage(), e);
    }
  }

  /**
   * The child connects to the doorbell socket and rings once it has mapped the channel; a start
   * that hangs is killed.
   */
  private static Doorbell awaitStart(String name, Process process, SharedChannel channel,
      ServerSocketChannel bell, ChildOutput output) throws IOException {
    AtomicBoolean started = new AtomicBoolean();
    CompletableFuture.delayedExecutor(START_TIMEOUT_SECONDS, TimeUnit.SECONDS).execute(() -> {
      if (!started.get()) {
        process.destroyForcibly();
      }
    });
    SocketChannel socket = acceptWhileAlive(bell, process);
    ChildJvm.trace("host-accepted");
    Doorbell doorbell = socket == null ? null : Doorbell.withCallerBell(socket,
        process.getInputStream(), process.getOutputStream());
    // Standard output is the doorbell thread's bell: anything else that reaches it before the
    // runner rings (the JVM's own messages should not, see ChildJvm) only wakes this loop.
    boolean rang = doorbell != null;
    while (rang && !channel.isOpened()) {
      rang = doorbell.await();
    }
    started.set(true);
    ChildJvm.trace("host-channel-open");
    if (!rang || !channel.isOpened()) {
      if (doorbell != null) {
        doorbell.close();
      }
      destroy(process);
      output.awaitEnd(1000);
      String said = output.lastLines();
      throw new EnclaveException(Code.UNAVAILABLE, "the enclave runtime of '" + name
          + "' did not start" + (process.isAlive() ? "" : " (exit status " + process.exitValue()
          + ")") + (said.isEmpty() ? "" : ": " + said));
    }
    return doorbell;
  }

  /** The child's connection, or null when the child died first. */
  private static SocketChannel acceptWhileAlive(ServerSocketChannel bell, Process process)
      throws IOException {
    bell.configureBlocking(false);
    try (Selector selector = Selector.open()) {
      bell.register(selector, SelectionKey.OP_ACCEPT);
      while (process.isAlive()) {
        selector.select(ACCEPT_POLL_MILLIS);
        SocketChannel socket = bell.accept();
        if (socket != null) {
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

  /** The parts cross the shared memory apart: each is copied once into the ring, once out. */
  @Override
  public FrameParts call(FrameParts frame) {
    try {
      return endpoint.call(frame);
    } catch (TransportException e) {
      throw new EnclaveException(Code.UNAVAILABLE, whyUnavailable(e.getMessage()));
    }
  }

  /** The process's end, when that is why the channel failed; else the channel's reason. */
  private String whyUnavailable(String channelReason) {
    return !closed.get() && ChildOutput.awaitExit(process, EXIT_WAIT_MILLIS)
        ? exitDescription() : channelReason;
  }

  private String exitDescription() {
    output.awaitEnd(EXIT_WAIT_MILLIS);
    String said = output.lastLines();
    return "enclave '" + name + "' is unavailable: its process exited with status "
        + process.exitValue() + (said.isEmpty() ? "" : " (" + said + ")");
  }

  @Override
  public boolean isAlive() {
    return endpoint.isAlive() && process.isAlive();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    endpoint.fail("enclave '" + name + "' is closed");
    List<ProcessHandle> children = process.descendants().toList();
    doorbell.hangUp();
    try {
      if (!process.waitFor(GRACEFUL_EXIT_MILLIS, TimeUnit.MILLISECONDS)) {
        destroy(process);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      destroy(process);
    }
    children.forEach(ProcessHandle::destroyForcibly);
    doorbell.close();
    channel.close();
    deleteQuietly(folder);
  }

  /** Runs when the process has ended, whatever ended it. */
  private void exited() {
    endpoint.fail(closed.get() ? "enclave '" + name + "' is closed" : exitDescription());
    if (!closed.get()) {
      LOG.log(System.Logger.Level.WARNING, "enclave ''{0}'' exited with status {1}", name,
          process.exitValue());
    }
  }

  /** For tests: the enclave's JVM, a descendant of the sandbox process. */
  Optional<ProcessHandle> enclaveProcess() {
    return process.descendants()
        .filter(p -> p.info().command().map(c -> c.endsWith("/bin/java")).orElse(false))
        .findFirst();
  }

  /** For tests: the sandbox process itself. */
  Process sandboxProcess() {
    return process;
  }

  private static void destroy(Process process) {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroyForcibly();
    children.forEach(ProcessHandle::destroyForcibly);
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A folder only this user can enter, in shared memory when the machine has it, made after
   * deleting those that dead hosts left behind ({@link ChannelFolders}).
   */
  private static Path privateFolder(String name) {
    Path shm = Path.of("/dev/shm");
    Path base = Files.isDirectory(shm) && Files.isWritable(shm)
        ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    try {
      return ChannelFolders.create(base, name);
    } catch (IOException | UnsupportedOperationException e) {
      throw new EnclaveException(Code.INTERNAL,
          "cannot make a private folder for the enclave's channel: " + e.getMessage(), e);
    }
  }

  private static void deleteQuietly(Path folder) {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(folder)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // Best effort; the folder is owner-only.
        }
      });
    } catch (IOException ignored) {
      // Nothing to delete.
    }
  }
}
