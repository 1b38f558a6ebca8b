package dev.cella.backend.process;

import dev.cella.EnclaveIdentity;
import dev.cella.EnclaveStatus.Code;
import dev.cella.bundle.Bundle;
import dev.cella.protocol.FrameType;
import dev.cella.protocol.Frames;
import dev.cella.protocol.InitMessage;
import dev.cella.spi.LaunchRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;

/**
 * An enclave launched straight through {@link ProcessBackend}, without the host runtime, so that
 * tests can reach its {@link ProcessConnection} (its process) and send it frames of their own.
 */
final class RawEnclave implements AutoCloseable {
  final Bundle bundle;
  final EnclaveIdentity identity;
  final List<Path> classPath;
  final ProcessConnection connection;

  private RawEnclave(Bundle bundle, EnclaveIdentity identity, List<Path> classPath,
      ProcessConnection connection) {
    this.bundle = bundle;
    this.identity = identity;
    this.classPath = classPath;
    this.connection = connection;
  }

  /** Launches {@code bundleFile} with its own jars (written into {@code folder}). */
  static RawEnclave launch(Path bundleFile, Path folder) throws Exception {
    Bundle bundle = Bundle.open(bundleFile);
    return launch(bundleFile, bundle.writeLibraries(folder));
  }

  /** Launches {@code bundleFile} with {@code classPath} as the class path. */
  static RawEnclave launch(Path bundleFile, List<Path> classPath) throws Exception {
    Bundle bundle = Bundle.open(bundleFile);
    EnclaveIdentity identity = bundle.identity(dev.cella.PlatformKind.PROCESS);
    LaunchRequest request = new LaunchRequest(bundle.manifest().name(), identity, bundleFile,
        classPath, bundle.manifest().limits(),
        frame -> Frames.error(Code.UNIMPLEMENTED, "this test host serves no host calls"));
    ProcessConnection connection = (ProcessConnection) new ProcessBackend().launch(request);
    return new RawEnclave(bundle, identity, classPath, connection);
  }

  /** Sends INITIALIZE claiming {@code claimed} and returns the response frame. */
  byte[] initialize(EnclaveIdentity claimed) {
    return initialize(claimed, bundle.manifest().entry().orElse(""));
  }

  /** Sends INITIALIZE claiming {@code claimed} and naming {@code entry}; returns the response. */
  byte[] initialize(EnclaveIdentity claimed, String entry) {
    SecureRandom random = new SecureRandom();
    byte[] k1 = new byte[InitMessage.SEALING_KEY_BYTES];
    byte[] k2 = new byte[InitMessage.SEALING_KEY_BYTES];
    random.nextBytes(k1);
    random.nextBytes(k2);
    InitMessage init = new InitMessage(bundle.manifest().name(), claimed,
        bundle.manifest().limits(), entry, List.of(), new byte[0],
        k1, k2);
    return connection.call(Frames.frame(FrameType.INITIALIZE, init.encode()));
  }

  /** Sends RUN with {@code command} and returns the output (or throws what the enclave says). */
  String run(String command) {
    return new String(Frames.result(connection.call(
        Frames.frame(FrameType.RUN, command.getBytes(StandardCharsets.UTF_8)))),
        StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    connection.close();
  }
}
