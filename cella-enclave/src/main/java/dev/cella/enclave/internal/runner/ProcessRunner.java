package dev.cella.enclave.internal.runner;

import dev.cella.enclave.internal.EnclaveRuntime;
import dev.cella.protocol.transport.Doorbell;
import dev.cella.protocol.transport.Endpoint;
import dev.cella.protocol.transport.SharedChannel;
import dev.cella.spi.FrameParts;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@code main} of the enclave runtime in its own process (the {@code process} backend): the
 * child JVM that the backend starts in its sandbox runs this class from the bundle's jars.
 *
 * <p>Before it serves anything: it starts measuring the jars on its class path as its bundle's
 * ({@link MeasuredStart}, on another thread, as that reads nothing secret); it makes the process
 * non-dumpable; only then does it map the shared-memory channel and tell the host, through the
 * doorbell, that it has. Then it serves frames with {@link EnclaveRuntime} behind a {@link
 * StartGate}, which holds every frame — the host's INITIALIZE, with the sealing keys, first —
 * until the measurement is done and compares the identity the host claims with it; it exits
 * when the host goes away. The host rings on standard input; the runner rings a waiting host caller on a
 * Unix-domain socket that the host listens on only until it connects, and the host's doorbell
 * thread on standard output (which is therefore not the application's: what it prints goes to
 * standard error; an application bundle's program has its own streams, relayed to the host by
 * ProgramRun).
 *
 * <pre>
 * java -cp JARS dev.cella.enclave.internal.runner.ProcessRunner BUNDLE CHANNEL DOORBELL MAX_MESSAGE_BYTES
 * java -XX:AOTCacheOutput=FILE -cp JARS dev.cella.enclave.internal.runner.ProcessRunner --train BUNDLE
 * </pre>
 *
 * <p>The second form is the training run of the backend's AOT cache ({@link AotTraining}).
 *
 * <p>Exit status: 0 when the host went away, 3 after refusing to start, 64 for bad arguments, 70
 * when the process cannot be made non-dumpable, 71 when the channel cannot be opened.
 */
public final class ProcessRunner {

  private ProcessRunner() {}

  public static void main(String[] args) throws Exception {
    StartTrace.mark("enclave-main");
    if (args.length == 2 && args[0].equals("--train")) {
      AotTraining.run(Path.of(args[1]), RunnerProcess.classPath());
      return;
    }
    // Before anything can look a name up: names resolve from the runtime's own hosts file only.
    System.setProperty("jdk.net.hosts.file", SandboxNetwork.HOSTS_FILE.toString());
    // Measuring reads no secret, so it runs while the main thread makes the process non-dumpable.
    CompletableFuture<MeasuredStart> measuring = args.length == 4
        ? CompletableFuture.supplyAsync(() -> {
          MeasuredStart measured =
              MeasuredStart.of(Path.of(args[0]), RunnerProcess.classPath());
          StartTrace.mark("enclave-measured");
          return measured;
        })
        : null;
    try {
      NonDumpable.enable();
    } catch (RuntimeException | LinkageError e) {
      System.err.println("cella runtime: cannot make the process non-dumpable, so it does not start: "
          + e.getMessage());
      System.exit(70);
    }
    StartTrace.mark("enclave-non-dumpable");
    if (args.length != 4) {
      System.err.println("usage: ProcessRunner BUNDLE CHANNEL DOORBELL MAX_MESSAGE_BYTES");
      System.exit(64);
    }
    int maxMessageBytes;
    try {
      maxMessageBytes = Integer.parseInt(args[3]);
    } catch (NumberFormatException e) {
      System.err.println("cella runtime: MAX_MESSAGE_BYTES must be a number, got " + args[3]);
      System.exit(64);
      return;
    }
    System.setOut(System.err);
    SharedChannel channel;
    Doorbell doorbell;
    try {
      channel = SharedChannel.open(Path.of(args[1]));
      SocketChannel toHost = SocketChannel.open(UnixDomainSocketAddress.of(Path.of(args[2])));
      doorbell = Doorbell.toCallerBell(new FileInputStream(FileDescriptor.in), toHost,
          new FileOutputStream(FileDescriptor.out));
    } catch (Exception e) {
      System.err.println("cella runtime: cannot open the channel: " + e.getMessage());
      System.exit(71);
      return;
    }
    AtomicReference<Endpoint> host = new AtomicReference<>();
    // The host may connect and send INITIALIZE before measuring has finished: the gate holds
    // every frame until it has, and only then makes the runtime, from the measured manifest.
    StartGate gate = new StartGate(measuring, measured -> new EnclaveRuntime(
        frame -> host.get().call(frame), SandboxNetwork.plan(measured), true),
        RunnerProcess::exitSoon);
    Endpoint endpoint = Endpoint.builder(channel.enclaveRings(), doorbell, handler(gate))
        .name("the host").inlineServer(true).maxMessageBytes(maxMessageBytes).build();
    host.set(endpoint);
    channel.markOpened();
    doorbell.ring();
    StartTrace.mark("enclave-channel-open");
    endpoint.start();
    endpoint.awaitFailure();
    // The host is gone or broke the channel: nothing may run on without it.
    System.exit(0);
  }

  /** The gate as the channel's handler, for frames that come whole and in two parts. */
  static Endpoint.Handler handler(StartGate gate) {
    return new Endpoint.Handler() {
      @Override
      public byte[] handle(byte[] request) {
        return gate.apply(request);
      }

      @Override
      public FrameParts handle(FrameParts request) {
        return gate.apply(request);
      }
    };
  }

}
