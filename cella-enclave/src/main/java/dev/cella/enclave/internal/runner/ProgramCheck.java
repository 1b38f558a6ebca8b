package dev.cella.enclave.internal.runner;

import dev.cella.EnclaveException;
import dev.cella.bundle.ApplicationSpec;
import dev.cella.bundle.FileGrant;
import dev.cella.bundle.Manifest;
import dev.cella.protocol.Frames;
import dev.cella.protocol.ProgramMessages;
import java.util.List;

/**
 * Compares the program the host asks the runner to start with the measured manifest: the same
 * main class, the manifest's arguments first (the host may only add arguments after them), the
 * same environment and working directory, and exactly the manifest's file grants. The host
 * builds the sandbox; this makes sure that what runs is what was measured and signed.
 *
 * <p>Stateless and thread-safe.
 */
final class ProgramCheck {
  private ProgramCheck() {}

  /** Null when the start frame matches {@code manifest}; else the difference. */
  static String differenceOrNull(byte[] frame, Manifest manifest) {
    if (manifest == null) {
      return "the bundle could not be measured";
    }
    ProgramMessages.Start start;
    try {
      start = ProgramMessages.Start.decode(Frames.payload(frame));
    } catch (EnclaveException malformed) {
      return null; // The runtime refuses it with the decoding error.
    }
    ApplicationSpec app = manifest.application().orElse(null);
    if (app == null) {
      return "the manifest names no application";
    }
    if (!start.mainClass().equals(app.mainClass())) {
      return "the host names main class " + start.mainClass() + " but the manifest's is "
          + app.mainClass();
    }
    if (start.args().size() < app.args().size()
        || !start.args().subList(0, app.args().size()).equals(app.args())) {
      return "the arguments do not begin with the manifest's " + app.args();
    }
    if (!start.envMap().equals(app.env())) {
      return "the host names another environment than the manifest's";
    }
    if (!start.workingDirectory().equals(app.workingDirectory().orElse(""))) {
      return "the host names working directory '" + start.workingDirectory()
          + "' but the manifest's is '" + app.workingDirectory().orElse("") + "'";
    }
    List<ProgramMessages.Mount> grants = mounts(manifest);
    if (!start.mounts().equals(grants)) {
      return "the host names other file grants than the manifest's";
    }
    return null;
  }

  /** The manifest's file grants as the start frame carries them. */
  static List<ProgramMessages.Mount> mounts(Manifest manifest) {
    return manifest.hostAccess().files().stream()
        .map((FileGrant f) -> new ProgramMessages.Mount(f.hostPath(), f.enclavePath(), f.mode().id()))
        .toList();
  }
}
