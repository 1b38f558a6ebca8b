package dev.cella;

import java.util.Objects;
import java.util.Optional;

/**
 * How an application bundle's program ended ({@link Enclave#runProgram}): its exit status as the
 * {@code java} launcher would give it, how it came about, and a one-line hint when the program
 * was refused a file that its manifest does not grant.
 *
 * <p>Example: {@code if (exit.status() != 0) exit.hint().ifPresent(h -> log(h));}
 *
 * <p>Immutable and thread-safe.
 *
 * @param how how the program ended
 * @param status the exit status: 0 after a normal return, 1 after an uncaught exception, the
 *     argument of {@code System.exit}
 * @param hint names the missing grant, if the runtime saw a refused file access that explains a
 *     failure; the enclave's word, for display only
 */
public record ProgramExit(How how, int status, Optional<String> hint) {
  /** How a program ended. */
  public enum How {
    /** {@code main} returned and the program's other non-daemon threads ended. */
    RETURNED,
    /** {@code main} threw; the trace went to the program's standard error. */
    UNCAUGHT_EXCEPTION,
    /** The program called {@code System.exit} (or {@code Runtime.exit}). */
    EXITED
  }

  public ProgramExit {
    Objects.requireNonNull(how, "how");
    Objects.requireNonNull(hint, "hint");
  }
}
