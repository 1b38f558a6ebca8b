package dev.cella.cli.internal;

/** The exit statuses of the {@code cella} command line (DESIGN.md's contract; scripts rely on them). */
public final class ExitCode {
  /** The command did what was asked. */
  public static final int OK = 0;
  /** Something failed: a missing file, an unreadable key, a corrupt bundle, an I/O error. */
  public static final int FAILURE = 1;
  /** The command line was wrong: unknown option, missing or malformed argument. */
  public static final int USAGE = 2;
  /** Verification refused: a bad or missing signature, evidence that does not verify. */
  public static final int REFUSED = 3;

  private ExitCode() {}
}
