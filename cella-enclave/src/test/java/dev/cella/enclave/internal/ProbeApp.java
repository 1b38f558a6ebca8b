package dev.cella.enclave.internal;

import dev.cella.EnclaveException;
import dev.cella.HostService;
import dev.cella.enclave.EnclaveContext;
import dev.cella.enclave.TrustedApplication;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HexFormat;

/**
 * An application that reaches out to its host on command, for the hostile-host tests: {@code
 * evidence}, {@code store} (writes a sealed file), {@code time} (a host service), {@code echo:X}.
 * Failures come back as {@code failed:<code>:<message>} so the test sees what enclave code saw.
 */
public final class ProbeApp implements TrustedApplication {
  /** A host service the probe calls. */
  @HostService
  public interface Clock {
    long now();
  }

  private volatile EnclaveContext context;

  @Override
  public void initialize(EnclaveContext context, byte[] config) {
    this.context = context;
  }

  @Override
  public byte[] run(byte[] input) {
    String command = new String(input, StandardCharsets.UTF_8);
    try {
      String answer = switch (command) {
        case "evidence" -> HexFormat.of().formatHex(context.evidence(new byte[4], new byte[4]));
        case "store" -> {
          Files.writeString(context.sealedFileSystem().getPath("/file"), "secret");
          yield "stored";
        }
        case "time" -> Long.toString(context.host(Clock.class).now());
        default -> command.startsWith("echo:") ? command.substring(5) : "unknown";
      };
      return answer.getBytes(StandardCharsets.UTF_8);
    } catch (EnclaveException e) {
      return ("failed:" + e.code() + ":" + e.getMessage()).getBytes(StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return ("failed:" + e.getClass().getSimpleName() + ":" + e.getMessage())
          .getBytes(StandardCharsets.UTF_8);
    }
  }
}
