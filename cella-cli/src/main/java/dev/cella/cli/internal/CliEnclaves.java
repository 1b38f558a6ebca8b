package dev.cella.cli.internal;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.bundle.InvalidBundleException;
import java.nio.file.Path;

/** How the commands that load enclaves report failures: bundle refusals exit 3, the rest 1. */
final class CliEnclaves {
  private CliEnclaves() {}

  /** The CLI failure for an enclave operation on {@code bundle} that failed with {@code e}. */
  static CliException failure(Path bundle, EnclaveException e) {
    if (e.getCause() instanceof InvalidBundleException invalid) {
      return CliException.bundle(bundle, invalid);
    }
    String message = e.code() == Code.UNAVAILABLE || e.code() == Code.NOT_FOUND
        ? e.getMessage() : e.getMessage() + " (" + e.code() + ")";
    return CliException.failure(message, e);
  }

  /** Removes control characters from text that came from an enclave, before it hits a terminal. */
  static String printable(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(c -> {
      if (c == '\n' || c == '\t' || !Character.isISOControl(c)) {
        out.appendCodePoint(c);
      } else {
        out.append(String.format("\\u%04x", c));
      }
    });
    return out.toString();
  }
}
