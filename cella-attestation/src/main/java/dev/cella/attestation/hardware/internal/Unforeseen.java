package dev.cella.attestation.hardware.internal;

import dev.cella.attestation.AttestationException;
import dev.cella.attestation.AttestationException.Reason;

/**
 * The safety net of every hardware verifier's {@code verify}: a parser that meets bytes it did not
 * foresee and throws an unchecked exception refuses the evidence as {@code MALFORMED}, so that a
 * caller never crashes on hostile evidence. Reaching this net is still a parser bug (each parser
 * documents {@link AttestationException} as its only failure); the fuzz targets fail on it, by
 * {@link #isUnforeseen}.
 *
 * <p>Example: {@code return Unforeseen.refuse("sgx quote", () -> verifyChecked(quote, context));}
 *
 * <p>Stateless and thread-safe.
 */
public final class Unforeseen {
  private static final String MARK = " cannot be read: ";

  private Unforeseen() {}

  /** A verification that throws {@link AttestationException} for what it refuses. */
  @FunctionalInterface
  public interface Verification<T> {
    T run() throws AttestationException;
  }

  /**
   * The result of {@code verification}; an unchecked exception from it becomes a {@code
   * MALFORMED} refusal of {@code what} ("sgx quote", "nitro document").
   */
  public static <T> T refuse(String what, Verification<T> verification)
      throws AttestationException {
    try {
      return verification.run();
    } catch (RuntimeException e) {
      throw new AttestationException(Reason.MALFORMED, what + MARK + e, e);
    }
  }

  /** Whether {@code refusal} was made by {@link #refuse} from an unchecked exception. */
  public static boolean isUnforeseen(AttestationException refusal) {
    return refusal.reason() == Reason.MALFORMED && refusal.getCause() instanceof RuntimeException
        && refusal.getMessage() != null && refusal.getMessage().contains(MARK);
  }
}
