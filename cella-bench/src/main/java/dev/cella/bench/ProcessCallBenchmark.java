package dev.cella.bench;

import dev.cella.Enclave;
import dev.cella.EnclaveOptions;
import dev.cella.bench.peer.AeronPong;
import dev.cella.bench.peer.GrpcUnixSocketPong;
import dev.cella.bench.peer.SharedMemoryPong;
import dev.cella.bench.peer.UnixSocketPong;
import dev.cella.host.EnclaveManager;
import dev.cella.testing.TestBundles;
import dev.cella.testing.apps.EchoApp;
import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.ClientCalls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * An empty bytes call into an enclave on the {@code process} backend (a sandboxed child JVM,
 * frames over shared memory), against baselines between two JVMs measured in the same run: a raw
 * shared-memory ping (one word each way, both sides polling as the transport does: the floor); an
 * Aeron IPC ping-pong ({@code io.aeron:aeron-all}, 8 bytes each way, polling by the same rule); a
 * ping-pong over a Unix-domain socket with blocking JDK {@link SocketChannel}s (what a sleeping
 * peer costs); and a unary grpc-java call over a Unix-domain socket (what a user would otherwise
 * pick). The shared-memory baselines keep their files in {@code /dev/shm}, as the transport does.
 * The {@code …AfterIdle} variants pause 2 ms before each call, so the enclave has spent its spin
 * budget and sleeps on its doorbell. Each peer process runs only during its own benchmarks.
 *
 * <p>Run: {@code cella-bench/run ProcessCallBenchmark} (needs bubblewrap).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// Aeron's Agrona reaches the JDK's internal Unsafe (its documented requirement on JDK 17 and
// later). No AOT cache: its training sandbox would run in the background during the first
// measurements, on the same cores, and it does nothing for calls once the enclave is warm.
@Fork(value = 1, jvmArgsAppend = {ProcessCallBenchmark.UNSAFE_EXPORTS,
    "-Dcella.process.aotCache=false"})
public class ProcessCallBenchmark {
  static final String UNSAFE_EXPORTS = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";
  private static final byte[] EMPTY = new byte[0];
  private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
  /**
   * How long a polling baseline waits for its peer's answer before it gives the peer up (it died
   * or stopped): the benchmark then fails instead of polling for ever, which JMH's iteration
   * timeout does not end. Checked only at the polling loop's clock reads, so the rule stays the
   * transport's.
   */
  private static final long PEER_SILENCE_NANOS = TimeUnit.SECONDS.toNanos(5);
  /** A folder of {@link #sharedMemoryFolder}: the benchmark JVM's process id, then a random tail. */
  private static final Pattern OWNED_FOLDER = Pattern.compile("cella-bench-(\\d{1,18})-\\d+");

  /** An echo enclave on the process backend. */
  @State(Scope.Benchmark)
  public static class ProcessEnclave {
    Path folder;
    EnclaveManager manager;
    Enclave enclave;

    @Setup(Level.Trial)
    public void start() throws Exception {
      folder = Files.createTempDirectory("cella-bench");
      Path bundle = TestBundles.builder("bench", EchoApp.class).build(folder);
      manager = EnclaveManager.create();
      enclave = manager.load("bench", bundle, EnclaveOptions.builder().backend("process").build());
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
      manager.close();
      delete(folder);
    }
  }

  /** A peer JVM spinning on a shared word. */
  @State(Scope.Benchmark)
  public static class SharedMemoryPeer {
    Path folder;
    Process peer;
    Arena arena;
    MemorySegment shm;
    long ping = 1;

    @Setup(Level.Trial)
    public void start() throws Exception {
      folder = sharedMemoryFolder();
      Path file = folder.resolve("ping");
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        channel.write(ByteBuffer.allocate(1), 4095);
        arena = Arena.ofShared();
        shm = channel.map(FileChannel.MapMode.READ_WRITE, 0, 4096, arena);
      }
      peer = peer(SharedMemoryPong.class, file.toString());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while ((long) LONG.getAcquire(shm, SharedMemoryPong.PONG) != -2L) {
        if (System.nanoTime() > deadline || !peer.isAlive()) {
          throw new IllegalStateException("the shared-memory peer did not start");
        }
        Thread.sleep(1);
      }
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
      LONG.setRelease(shm, SharedMemoryPong.PING, -1L);
      peer.waitFor(5, TimeUnit.SECONDS);
      peer.destroyForcibly();
      arena.close();
      delete(folder);
    }
  }

  /**
   * A peer JVM answering 8-byte messages over Aeron IPC, and the media driver both ends use,
   * embedded here. The driver runs its agents on one thread that backs off to 1 ms parks when it
   * has nothing to do (Aeron's default idle strategy): a driver spinning on a core of its own, as
   * Aeron advises for the lowest latency, would take one of this machine's two cores from the
   * ping-pong itself. Its term buffers are 4 MiB and written out when created, so no call meets a
   * page of a term for the first time once the first rotations are done.
   */
  @State(Scope.Benchmark)
  public static class AeronPeer {
    Path folder;
    MediaDriver driver;
    Aeron aeron;
    ExclusivePublication toPeer;
    Subscription fromPeer;
    Process peer;
    /**
     * Releases all of the above at the JVM's exit when {@link #stop} does not run: JMH skips the
     * teardown after a failed setup or a failed call, and the driver's files would stay in
     * {@code /dev/shm}.
     */
    Thread atExit;
    private boolean released;
    final UnsafeBuffer message = new UnsafeBuffer(new byte[8]);
    final long[] answer = new long[1];
    final FragmentHandler onAnswer = (buffer, offset, length, header) ->
        answer[0] = buffer.getLong(offset);
    long next;

    @Setup(Level.Trial)
    public void start() throws Exception {
      folder = sharedMemoryFolder();
      atExit = new Thread(this::release, "cella-bench aeron cleanup");
      Runtime.getRuntime().addShutdownHook(atExit);
      String directory = folder.resolve("aeron").toString();
      MediaDriver.Context driverContext = new MediaDriver.Context()
          .threadingMode(ThreadingMode.SHARED)
          .ipcTermBufferLength(4 * 1024 * 1024)
          .termBufferSparseFile(false)
          .dirDeleteOnStart(true)
          .dirDeleteOnShutdown(true);
      driverContext.aeronDirectoryName(directory);
      driver = MediaDriver.launch(driverContext);
      Aeron.Context clientContext = new Aeron.Context();
      clientContext.aeronDirectoryName(directory);
      aeron = Aeron.connect(clientContext);
      toPeer = aeron.addExclusivePublication(AeronPong.CHANNEL, AeronPong.PING_STREAM);
      fromPeer = aeron.addSubscription(AeronPong.CHANNEL, AeronPong.PONG_STREAM);
      peer = peer(AeronPong.class, directory);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!toPeer.isConnected() || !fromPeer.isConnected()) {
        if (System.nanoTime() > deadline || !peer.isAlive()) {
          throw new IllegalStateException("the Aeron peer did not connect");
        }
        Thread.sleep(1);
      }
    }

    long ping() {
      long sent = ++next;
      message.putLong(0, sent);
      AeronPong.offer(toPeer, message, 8);
      long start = System.nanoTime();
      long spun = 0;
      int polls = 0;
      while (fromPeer.poll(onAnswer, 1) == 0) {
        if (SharedMemoryPong.readsClock(++polls, spun)) {
          spun = System.nanoTime() - start;
          if (spun > PEER_SILENCE_NANOS) {
            throw silentPeer("Aeron", peer);
          }
        }
        SharedMemoryPong.pause(spun);
      }
      if (answer[0] != sent) {
        throw new IllegalStateException("the Aeron peer answered " + answer[0] + " to " + sent);
      }
      return sent;
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
      try {
        message.putLong(0, AeronPong.STOP);
        AeronPong.offer(toPeer, message, 8);
        peer.waitFor(5, TimeUnit.SECONDS);
      } catch (IllegalStateException e) {
        // The peer is gone or not reading: it is destroyed below.
      } finally {
        release();
        Runtime.getRuntime().removeShutdownHook(atExit);
      }
    }

    /** Stops the peer, closes the client and the driver (which deletes its directory). */
    private synchronized void release() {
      if (released) {
        return;
      }
      released = true;
      if (peer != null) {
        peer.destroyForcibly();
      }
      CloseHelper.quietCloseAll(aeron, driver);
      try {
        delete(folder);
      } catch (IOException | UncheckedIOException e) {
        // Already gone, or not ours to delete any more.
      }
    }
  }

  /** A peer JVM echoing bytes on a Unix-domain socket. */
  @State(Scope.Benchmark)
  public static class SocketPeer {
    Path folder;
    Process peer;
    ServerSocketChannel server;
    SocketChannel socket;
    final ByteBuffer oneByte = ByteBuffer.allocateDirect(1);

    @Setup(Level.Trial)
    public void start() throws Exception {
      folder = Files.createTempDirectory("cella-bench");
      Path path = folder.resolve("socket");
      server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(path));
      peer = peer(UnixSocketPong.class, path.toString());
      socket = server.accept();
    }

    int pingPong() throws IOException {
      oneByte.clear().put((byte) 1).flip();
      socket.write(oneByte);
      oneByte.clear();
      return socket.read(oneByte);
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
      socket.close();
      server.close();
      peer.waitFor(5, TimeUnit.SECONDS);
      peer.destroyForcibly();
      delete(folder);
    }
  }

  /** A peer JVM serving a unary gRPC echo on a Unix-domain socket, and a client channel to it. */
  @State(Scope.Benchmark)
  public static class GrpcPeer {
    Path folder;
    Process peer;
    EpollEventLoopGroup group;
    ManagedChannel channel;

    @Setup(Level.Trial)
    public void start() throws Exception {
      folder = Files.createTempDirectory("cella-bench");
      Path path = folder.resolve("grpc");
      peer = peer(GrpcUnixSocketPong.class, path.toString());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!Files.exists(path)) {
        if (System.nanoTime() > deadline || !peer.isAlive()) {
          throw new IllegalStateException("the gRPC peer did not start");
        }
        Thread.sleep(5);
      }
      group = new EpollEventLoopGroup(1);
      channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(path.toString()))
          .channelType(EpollDomainSocketChannel.class).eventLoopGroup(group)
          .directExecutor().usePlaintext().build();
    }

    byte[] echo() {
      return ClientCalls.blockingUnaryCall(channel, GrpcUnixSocketPong.ECHO, CallOptions.DEFAULT,
          EMPTY);
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      group.shutdownGracefully();
      peer.getOutputStream().close();
      peer.waitFor(5, TimeUnit.SECONDS);
      peer.destroyForcibly();
      delete(folder);
    }
  }

  /** A pause before each call, long enough for the enclave to go to sleep. */
  @State(Scope.Thread)
  public static class Idle {
    @Setup(Level.Invocation)
    public void pause() {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
    }
  }

  /** An empty {@code run} into the process enclave, back to back. */
  @Benchmark
  public byte[] processEnclaveRun(ProcessEnclave state) {
    return state.enclave.run(EMPTY);
  }

  /** The floor: one word to a spinning peer JVM and one word back. */
  @Benchmark
  public long rawSharedMemoryPing(SharedMemoryPeer state) {
    long sent = state.ping;
    state.ping += 2;
    LONG.setRelease(state.shm, SharedMemoryPong.PING, sent);
    long expected = sent + 1;
    long start = System.nanoTime();
    long spun = 0;
    int polls = 0;
    while ((long) LONG.getAcquire(state.shm, SharedMemoryPong.PONG) != expected) {
      if (SharedMemoryPong.readsClock(++polls, spun)) {
        spun = System.nanoTime() - start;
        if (spun > PEER_SILENCE_NANOS) {
          throw silentPeer("shared-memory", state.peer);
        }
      }
      SharedMemoryPong.pause(spun);
    }
    return expected;
  }

  /**
   * 8 bytes to a peer JVM over Aeron IPC and 8 bytes back, both ends polling: the Aeron
   * ping-pong (targets: the hot call's median within 2× its median, its p99 within 3× its p99).
   */
  @Benchmark
  public long aeronIpcPing(AeronPeer state) {
    return state.ping();
  }

  /** One byte to a peer JVM blocked on a Unix-domain socket, and one byte back. */
  @Benchmark
  public int unixSocketPingPong(SocketPeer state) throws IOException {
    return state.pingPong();
  }

  /**
   * An empty unary call with grpc-java to a peer JVM over a Unix-domain socket, back to back: the
   * issue's "what a user would otherwise pick" (target: a process enclave call at least 100×
   * faster).
   */
  @Benchmark
  public byte[] grpcUnixSocketUnary(GrpcPeer state) {
    return state.echo();
  }

  /** An empty {@code run} into a process enclave that sleeps on its doorbell. */
  @Benchmark
  public byte[] processEnclaveRunAfterIdle(ProcessEnclave state, Idle idle) {
    return state.enclave.run(EMPTY);
  }

  /** The socket ping-pong after the same pause. */
  @Benchmark
  public int unixSocketPingPongAfterIdle(SocketPeer state, Idle idle) throws IOException {
    return state.pingPong();
  }

  private static IllegalStateException silentPeer(String which, Process peer) {
    return new IllegalStateException("the " + which + " peer did not answer for "
        + TimeUnit.NANOSECONDS.toSeconds(PEER_SILENCE_NANOS) + " s"
        + (peer.isAlive() ? "" : " (it exited with " + peer.exitValue() + ")"));
  }

  private static Process peer(Class<?> main, String argument) throws IOException {
    String java = ProcessHandle.current().info().command().orElseThrow();
    return new ProcessBuilder(List.of(java, "-XX:+UseSerialGC", UNSAFE_EXPORTS, "-cp",
        System.getProperty("java.class.path"), main.getName(), argument))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  /**
   * A new folder in {@code /dev/shm} where there is one, as the transport's channel files, named
   * after this JVM's process id. The folders that benchmark JVMs no longer running left there
   * (killed, so that neither the teardown nor the exit hook ran) are deleted first: they hold
   * memory until they are.
   */
  private static Path sharedMemoryFolder() throws IOException {
    Path shm = Path.of("/dev/shm");
    String prefix = "cella-bench-";
    if (!Files.isDirectory(shm) || !Files.isWritable(shm)) {
      return Files.createTempDirectory(prefix + ProcessHandle.current().pid() + "-");
    }
    try (var folders = Files.list(shm)) {
      for (Path folder : folders.toList()) {
        Matcher name = OWNED_FOLDER.matcher(folder.getFileName().toString());
        if (name.matches() && ProcessHandle.of(Long.parseLong(name.group(1))).isEmpty()) {
          delete(folder);
        }
      }
    }
    return Files.createTempDirectory(shm, prefix + ProcessHandle.current().pid() + "-");
  }

  private static void delete(Path folder) throws IOException {
    try (var files = Files.walk(folder)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
