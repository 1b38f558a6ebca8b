package dev.cella.enclave.internal.runner;

import dev.cella.PlatformKind;
import dev.cella.enclave.internal.EnclaveRuntime;
import dev.cella.protocol.transport.StreamEndpoint;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@code main} of the enclave runtime inside a micro-VM (the {@code vm} backend): the guest's
 * init starts this class, from the bundle's jars only, on the JDK of the VM image.
 *
 * <p>Before it serves anything it re-measures its bundle and compares its class path with the
 * bundle's jars ({@link MeasuredStart}, exactly as {@link ProcessRunner} does, naming the vm
 * platform). Then it opens the virtio serial port to the host, speaks the stream protocol of
 * {@link StreamEndpoint} over it and serves frames with {@link EnclaveRuntime} behind a {@link
 * StartGate}. When the host goes away or breaks the channel it exits, and the guest's init powers
 * the VM off. There is no other process in the VM and no network device, so unlike {@link
 * ProcessRunner} it need not make itself non-dumpable: the boundary is the VM's.
 *
 * <pre>
 * java -cp JARS dev.cella.enclave.internal.runner.VmRunner BUNDLE PORT MAX_MESSAGE_BYTES
 * </pre>
 *
 * <p>Exit status: 0 when the host went away, 3 after refusing to start, 64 for bad arguments, 71
 * when the port cannot be opened.
 */
public final class VmRunner {

  private VmRunner() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: VmRunner BUNDLE PORT MAX_MESSAGE_BYTES");
      System.exit(64);
      return;
    }
    int maxMessageBytes;
    try {
      maxMessageBytes = Integer.parseInt(args[2]);
    } catch (NumberFormatException e) {
      System.err.println("cella runtime: MAX_MESSAGE_BYTES must be a number, got " + args[2]);
      System.exit(64);
      return;
    }
    long measuring = System.nanoTime();
    MeasuredStart measured =
        MeasuredStart.of(Path.of(args[0]), RunnerProcess.classPath(), PlatformKind.VM);
    // One line for the host's log: where a slow (emulated) boot spends its time.
    long up = ProcessHandle.current().info().startInstant()
        .map(t -> java.time.Duration.between(t, java.time.Instant.now()).toMillis()).orElse(-1L);
    System.err.println("cella runtime: JVM up " + up + " ms, measured the bundle in "
        + (System.nanoTime() - measuring) / 1_000_000 + " ms");
    System.setOut(System.err);
    RandomAccessFile port;
    try {
      port = new RandomAccessFile(args[1], "rw");
    } catch (Exception e) {
      System.err.println("cella runtime: cannot open the port to the host: " + e.getMessage());
      System.exit(71);
      return;
    }
    AtomicReference<StreamEndpoint> host = new AtomicReference<>();
    EnclaveRuntime runtime = new EnclaveRuntime(frame -> host.get().call(frame));
    StartGate gate = new StartGate(runtime, measured, RunnerProcess::exitSoon);
    java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean();
    StreamEndpoint endpoint = StreamEndpoint.builder(new FileInputStream(port.getFD()),
            new FileOutputStream(port.getFD()), frame -> {
              if (first.getAndSet(true)) {
                return gate.apply(frame);
              }
              long serving = System.nanoTime();
              try {
                return gate.apply(frame);
              } finally {
                System.err.println("cella runtime: served the first frame (initialization) in "
                    + (System.nanoTime() - serving) / 1_000_000 + " ms");
              }
            })
        .name("the host").maxMessageBytes(maxMessageBytes).build();
    host.set(endpoint);
    endpoint.start();
    String why = endpoint.awaitFailure();
    System.err.println("cella runtime: stopping: " + why);
    // The host is gone or broke the channel: nothing may run on without it.
    System.exit(0);
  }

}
