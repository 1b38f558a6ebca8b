package dev.cella.enclave.internal.runner;

import dev.cella.protocol.transport.Doorbell;
import dev.cella.protocol.transport.Endpoint;
import dev.cella.protocol.transport.SharedChannel;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The training run of the process backend's AOT cache: the runner's start without a host — it
 * makes the process non-dumpable, re-measures the bundle and its class path, and sends calls of
 * a few sizes through a shared-memory channel between two endpoints in this JVM — so that the
 * JVM (started with {@code -XX:AOTCacheOutput}) records the classes a real start loads and
 * links, and their methods' profiles. It runs no application code and reads no secret.
 *
 * <p>Not thread-safe; run once per process.
 */
final class AotTraining {
  private static final int CALLS = 2000;

  private AotTraining() {}

  static void run(Path bundle, List<Path> classPath) throws IOException {
    NonDumpable.enable();
    MeasuredStart measured = MeasuredStart.of(bundle, classPath);
    if (measured.refusalOrNull() != null) {
      throw new IllegalStateException(measured.refusalOrNull());
    }
    Path folder = Files.createTempDirectory("cella-aot-training");
    Path file = folder.resolve("channel");
    Pipe toEnclave = Pipe.open();
    Pipe toHost = Pipe.open();
    try (SharedChannel host = SharedChannel.create(file, SharedChannel.DEFAULT_RING_CAPACITY);
        SharedChannel enclave = SharedChannel.open(file)) {
      Doorbell hostBell = Doorbell.of(Channels.newInputStream(toHost.source()),
          Channels.newOutputStream(toEnclave.sink()));
      Doorbell enclaveBell = Doorbell.of(Channels.newInputStream(toEnclave.source()),
          Channels.newOutputStream(toHost.sink()));
      Endpoint hostEnd = Endpoint.builder(host.hostRings(), hostBell, frame -> frame).build();
      Endpoint enclaveEnd = Endpoint.builder(enclave.enclaveRings(), enclaveBell, frame -> frame)
          .inlineServer(true).build();
      hostEnd.start();
      enclaveEnd.start();
      byte[][] sizes = {new byte[0], new byte[100], new byte[64 << 10], new byte[1 << 20]};
      for (int i = 0; i < CALLS; i++) {
        hostEnd.call(sizes[i % (i < CALLS - 20 ? 2 : sizes.length)]);
      }
      hostEnd.close();
      enclaveEnd.close();
      hostBell.close();
      enclaveBell.close();
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(folder);
    }
  }
}
