package dev.cella.enclave.internal.runner;

import dev.cella.EnclaveException;
import dev.cella.bundle.Manifest;
import dev.cella.bundle.ServiceBinding;
import dev.cella.enclave.TrustedApplication;
import dev.cella.enclave.internal.EnclaveRuntime;
import dev.cella.protocol.FrameType;
import dev.cella.protocol.Frames;
import dev.cella.protocol.InitMessage;
import dev.cella.protocol.codec.CodecLimits;
import dev.cella.protocol.codec.ServiceCodec;
import dev.cella.protocol.transport.Doorbell;
import dev.cella.protocol.transport.Endpoint;
import dev.cella.protocol.transport.SharedChannel;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

/**
 * The training run of the process backend's AOT cache: the runner's start without a host — so
 * that the JVM (started with {@code -XX:AOTCacheOutput}) records the classes a real start loads
 * and links, and their methods' profiles. It makes the process non-dumpable and re-measures the
 * bundle and its class path as a real start does; loads (without initializing) the bundle's entry
 * and service classes and builds the service interfaces' codecs; then runs the runtime's start
 * behind a {@link StartGate} — an INITIALIZE with fresh random sealing keys, for a do-nothing
 * application of this class's own ({@link Idle}) in place of the bundle's — and sends calls of a
 * few sizes through a shared-memory channel between two endpoints in this JVM, rung as in a real
 * start (a Unix-domain socket for callers, pipes for the doorbell thread). It runs no code of the
 * bundle's application and reads no secret.
 *
 * <p>Not thread-safe; run once per process.
 */
final class AotTraining {
  private static final int CALLS = 2000;
  /** What the runtime keeps of the frame limit for the frame around an answer (Application). */
  private static final int ANSWER_OVERHEAD = 16;

  private AotTraining() {}

  /** The application the training initializes: it answers each call with its input. */
  public static final class Idle implements TrustedApplication {
    /** Made by the runtime, as the bundle's entry class would be. */
    public Idle() {}

    @Override
    public byte[] run(byte[] input) {
      return input;
    }
  }

  static void run(Path bundle, List<Path> classPath) throws IOException {
    NonDumpable.enable();
    MeasuredStart measured = MeasuredStart.of(bundle, classPath);
    if (measured.refusalOrNull() != null) {
      throw new IllegalStateException(measured.refusalOrNull());
    }
    loadApplicationClasses(measured.manifest());
    exercise(measured);
  }

  /**
   * The runtime's start and calls, for the application {@link Idle} with the limits of {@code
   * measured}'s manifest: calls whose answer would not fit its frame limit are left out, as the
   * runtime refuses them.
   */
  static void exercise(MeasuredStart measured) throws IOException {
    Manifest idle = measured.manifest().toBuilder().entry(Idle.class.getName())
        .services(List.of()).build();
    MeasuredStart training = new MeasuredStart(measured.identity(), idle, null);
    Path folder = Files.createTempDirectory("cella-aot-training");
    Path file = folder.resolve("channel");
    Path socket = folder.resolve("doorbell");
    Pipe toEnclave = Pipe.open();
    Pipe toHostServer = Pipe.open();
    try (SharedChannel host = SharedChannel.create(file, SharedChannel.DEFAULT_RING_CAPACITY);
        SharedChannel enclave = SharedChannel.open(file);
        ServerSocketChannel bell = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      bell.bind(UnixDomainSocketAddress.of(socket));
      SocketChannel enclaveSide = SocketChannel.open(UnixDomainSocketAddress.of(socket));
      SocketChannel hostSide = bell.accept();
      Doorbell hostBell = Doorbell.withCallerBell(hostSide,
          Channels.newInputStream(toHostServer.source()), Channels.newOutputStream(toEnclave.sink()));
      Doorbell enclaveBell = Doorbell.toCallerBell(Channels.newInputStream(toEnclave.source()),
          enclaveSide, Channels.newOutputStream(toHostServer.sink()));
      AtomicReference<Endpoint> toHost = new AtomicReference<>();
      StartGate gate = new StartGate(CompletableFuture.completedFuture(training),
          m -> new EnclaveRuntime(frame -> toHost.get().call(frame), SandboxNetwork.plan(m), true),
          () -> {
            throw new IllegalStateException("the start gate refused the training start");
          });
      Endpoint hostEnd = Endpoint.builder(host.hostRings(), hostBell, frame -> frame).build();
      Endpoint enclaveEnd = Endpoint.builder(enclave.enclaveRings(), enclaveBell,
          ProcessRunner.handler(gate)).inlineServer(true).build();
      toHost.set(enclaveEnd);
      hostEnd.start();
      enclaveEnd.start();
      Frames.result(hostEnd.call(initialize(training, idle)));
      // The application's answer (its input) must fit the manifest's frame limit.
      int largest = idle.limits().maxFrameBytes() - ANSWER_OVERHEAD;
      byte[][] sizes = IntStream.of(0, 100, 64 << 10, 1 << 20).filter(n -> n <= largest)
          .mapToObj(byte[]::new).toArray(byte[][]::new);
      for (int i = 0; i < CALLS; i++) {
        byte[] input = sizes[i % (i < CALLS - 20 ? 2 : sizes.length)];
        // As the host's run sends it: the input apart from the frame header.
        Frames.result(hostEnd.call(Frames.parts(FrameType.RUN, input)));
      }
      Frames.result(hostEnd.call(Frames.frame(FrameType.FINISH, new byte[0])));
      hostEnd.close();
      enclaveEnd.close();
      hostBell.close();
      enclaveBell.close();
    } finally {
      Files.deleteIfExists(socket);
      Files.deleteIfExists(file);
      Files.deleteIfExists(folder);
    }
  }

  /**
   * Loads and links the bundle's entry and service classes without initializing them (no code
   * of theirs runs) and builds the service interfaces' codecs, as a real start would.
   */
  private static void loadApplicationClasses(Manifest manifest) {
    ClassLoader loader = AotTraining.class.getClassLoader();
    CodecLimits limits = CodecLimits.of(manifest.limits());
    try {
      if (manifest.entry().isPresent()) {
        Class.forName(manifest.entry().get(), false, loader);
      }
      for (ServiceBinding service : manifest.services()) {
        ServiceCodec.of(Class.forName(service.interfaceName(), false, loader), limits);
        Class.forName(service.implementationName(), false, loader);
      }
    } catch (ClassNotFoundException | LinkageError | EnclaveException | IllegalArgumentException e) {
      // A start of this bundle fails the same way; the training goes on without these classes.
    }
  }

  /** The INITIALIZE frame of the training start, with fresh random sealing keys. */
  private static byte[] initialize(MeasuredStart training, Manifest idle) {
    SecureRandom random = new SecureRandom();
    byte[] measurementKey = new byte[InitMessage.SEALING_KEY_BYTES];
    byte[] signerKey = new byte[InitMessage.SEALING_KEY_BYTES];
    random.nextBytes(measurementKey);
    random.nextBytes(signerKey);
    InitMessage init = new InitMessage("aot-training", training.identity(), idle.limits(),
        Idle.class.getName(), List.of(), new byte[0], measurementKey, signerKey);
    byte[] frame = Frames.frame(FrameType.INITIALIZE, init.encode());
    init.wipe();
    return frame;
  }
}
