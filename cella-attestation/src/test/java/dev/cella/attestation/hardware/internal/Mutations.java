package dev.cella.attestation.hardware.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.cella.attestation.AttestationException;
import dev.cella.attestation.VerifiedEnclave;
import java.time.Duration;
import java.time.Instant;

/** Byte-flip sweeps over evidence, bounded in count and time. */
public final class Mutations {
  /** Upper bound of flips per sweep, whatever the stride. */
  public static final int MAX_FLIPS = 6000;
  /** Upper bound of one sweep's duration. */
  public static final Duration MAX_TIME = Duration.ofSeconds(20);

  private Mutations() {}

  /** A refusal must come from a check, not from a parser's unforeseen runtime exception. */
  private static void requireForeseen(AttestationException e, int index) {
    if (e.getCause() instanceof RuntimeException) {
      fail("flipping byte " + index + " hit an unforeseen exception: " + e.getCause(), e);
    }
  }

  /** What to do with one mutated copy. */
  @FunctionalInterface
  public interface Verification {
    VerifiedEnclave verify(byte[] evidence) throws AttestationException;
  }

  /**
   * Flips (XOR 0x01) every {@code stride}-th byte of {@code [from, to)} and requires each copy
   * to be refused. Returns how many flips were made.
   */
  public static int eachSignedByteRefused(byte[] evidence, int from, int to, int stride,
      Verification verification) {
    Instant deadline = Instant.now().plus(MAX_TIME);
    int flips = 0;
    for (int i = from; i < to && flips < MAX_FLIPS; i += stride) {
      if (Instant.now().isAfter(deadline)) {
        fail("mutation sweep exceeded " + MAX_TIME + " after " + flips + " flips");
      }
      byte[] copy = evidence.clone();
      copy[i] ^= 0x01;
      flips++;
      try {
        VerifiedEnclave accepted = verification.verify(copy);
        fail("flipping byte " + i + " (0x" + Integer.toHexString(i) + ") of the signed region "
            + "was accepted: " + accepted);
      } catch (AttestationException expected) {
        requireForeseen(expected, i);
      }
    }
    return flips;
  }

  /**
   * Flips every byte of {@code [from, to)}; each copy must verify to exactly {@code original}
   * (or, if {@code mayFail}, be refused), never to other claims.
   */
  public static int unsignedBytesNeverChangeClaims(byte[] evidence, int from, int to,
      VerifiedEnclave original, boolean mayFail, Verification verification) {
    return unsignedBytesNeverChangeClaims(evidence, from, to, 1, original, mayFail,
        verification);
  }

  /** Like the other overload, every {@code stride}-th byte. */
  public static int unsignedBytesNeverChangeClaims(byte[] evidence, int from, int to, int stride,
      VerifiedEnclave original, boolean mayFail, Verification verification) {
    int flips = 0;
    for (int i = from; i < to && flips < MAX_FLIPS; i += stride) {
      byte[] copy = evidence.clone();
      copy[i] ^= 0x01;
      flips++;
      try {
        assertThat(verification.verify(copy)).as("claims after flipping unsigned byte " + i)
            .isEqualTo(original);
      } catch (AttestationException e) {
        requireForeseen(e, i);
        if (!mayFail) {
          fail("flipping unsigned byte " + i + " made verification fail: " + e);
        }
      }
    }
    return flips;
  }
}
