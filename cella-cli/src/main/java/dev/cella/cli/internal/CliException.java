package dev.cella.cli.internal;

import dev.cella.bundle.InvalidBundleException;
import java.nio.file.Path;

/**
 * A failure a command reports as one line, {@code cella: <message>}, with an exit status. Throw it
 * from a command's {@code call()}; {@link ErrorHandler} prints it (with the stack trace only under
 * {@code --verbose}) and exits with {@link #exitCode()}.
 *
 * <pre>{@code
 * throw CliException.failure(key + " already exists; use --force to replace it");
 * throw CliException.usage("give --entry or at least one --service");
 * }</pre>
 */
public final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  private CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** Exit 1: the command failed. */
  public static CliException failure(String message) {
    return new CliException(ExitCode.FAILURE, message, null);
  }

  /** Exit 1 with the underlying cause (shown under {@code --verbose}). */
  public static CliException failure(String message, Throwable cause) {
    return new CliException(ExitCode.FAILURE, message, cause);
  }

  /** Exit 2: the command line is wrong; the command's usage is shown. */
  public static CliException usage(String message) {
    return new CliException(ExitCode.USAGE, message, null);
  }

  /** Exit 3: a verification refused its input. */
  public static CliException refused(String message, Throwable cause) {
    return new CliException(ExitCode.REFUSED, message, cause);
  }

  /**
   * A refused bundle: exit 3 when its signature is missing, malformed or does not verify, exit 1
   * when it is not a well-formed bundle at all. The message names the file and the reason.
   */
  public static CliException bundle(Path file, InvalidBundleException e) {
    String message = file + ": " + e.getMessage() + " (" + e.reason() + ")";
    return switch (e.reason()) {
      case UNSIGNED, MALFORMED_SIGNATURE, BAD_SIGNATURE -> refused(message, e);
      default -> failure(message, e);
    };
  }

  /** The exit status. */
  public int exitCode() {
    return exitCode;
  }
}
