package dev.cella.host.internal;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.ProgramIo;
import dev.cella.protocol.FrameType;
import dev.cella.protocol.ProgramMessages;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * The host's side of an application bundle's program: writes what the program prints to the
 * options' streams, reads its standard input for it, and keeps the status of a {@code
 * System.exit} the runtime reported before its JVM halted. The enclave is untrusted: every
 * payload is decoded with bounds, and nothing it sends can make the host allocate more than one
 * chunk.
 *
 * <p>Thread-safe.
 */
final class ProgramHost {
  private final ProgramIo io;
  private final ProgramMessages.Start start;
  private volatile ProgramMessages.End exit;

  /** @param start the program as the manifest describes it, without the host's arguments */
  ProgramHost(ProgramIo io, ProgramMessages.Start start) {
    this.io = io;
    this.start = start;
  }

  /** The start message: the manifest's program with {@code args} after its own arguments. */
  ProgramMessages.Start start(java.util.List<String> args) {
    java.util.List<String> all = new java.util.ArrayList<>(start.args());
    all.addAll(args);
    return new ProgramMessages.Start(start.mainClass(), all, start.env(),
        start.workingDirectory(), start.mounts());
  }

  byte[] handle(FrameType type, byte[] payload) {
    try {
      return switch (type) {
        case PROGRAM_OUTPUT -> {
          ProgramMessages.Output output = ProgramMessages.Output.decode(payload);
          OutputStream to = output.toStderr() ? io.err() : io.out();
          synchronized (to) {
            to.write(output.bytes());
            to.flush();
          }
          yield new byte[0];
        }
        case PROGRAM_INPUT -> {
          int max = ProgramMessages.decodeInputRequest(payload);
          byte[] buffer = new byte[Math.min(max, 64 * 1024)];
          int n;
          synchronized (io.in()) {
            n = io.in().read(buffer);
          }
          yield n < 0 ? new ProgramMessages.Input(true, new byte[0]).encode()
              : new ProgramMessages.Input(false, Arrays.copyOf(buffer, n)).encode();
        }
        case PROGRAM_EXIT -> {
          ProgramMessages.End end = ProgramMessages.End.decode(payload);
          if (end.endingOrNull() != null) {
            throw new EnclaveException(Code.INVALID_ARGUMENT, "a program exit carries no ending");
          }
          exit = end;
          yield new byte[0];
        }
        default -> throw new IllegalArgumentException(type + " is not a program frame");
      };
    } catch (IOException e) {
      throw new EnclaveException(Code.UNAVAILABLE,
          "the host's standard streams failed: " + e.getClass().getSimpleName());
    }
  }

  /** The {@code System.exit} the program reported, or null. */
  ProgramMessages.End exitOrNull() {
    return exit;
  }
}
