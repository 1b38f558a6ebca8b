package dev.cella.attestation.hardware.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cella.SecurityLevel;
import dev.cella.attestation.AttestationException;
import dev.cella.attestation.EvidenceVerifier;
import dev.cella.attestation.VerificationContext;
import dev.cella.attestation.VerifiedEnclave;

/** The contract every hardware fuzz target checks of a verifier. */
public final class FuzzChecks {
  private FuzzChecks() {}

  /**
   * Runs {@code verifier}; true if it verified. A refusal made by the safety net from an
   * unchecked exception ({@link Unforeseen}) fails the target: the parser behind it broke its
   * contract.
   */
  public static boolean verifyOrRefuse(EvidenceVerifier verifier, byte[] evidence,
      VerificationContext context) {
    try {
      VerifiedEnclave verified = verifier.verify(evidence, context);
      assertThat(verified.measurement().length()).isPositive();
      assertThat(verified.securityLevel()).isEqualTo(SecurityLevel.HARDWARE);
      return true;
    } catch (AttestationException refused) {
      if (Unforeseen.isUnforeseen(refused)) {
        throw new AssertionError(verifier.format() + " threw " + refused.getCause(),
            refused.getCause());
      }
      return false;
    }
  }
}
