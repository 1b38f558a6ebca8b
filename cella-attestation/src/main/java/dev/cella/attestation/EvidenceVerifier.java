package dev.cella.attestation;

/**
 * Verifies one evidence format cryptographically: parses it, checks its signatures and chains to
 * trusted roots, checks every validity window at the context's time, and returns what the evidence
 * proves. It does not apply a policy; {@code AttestationVerifier} does that on the result.
 *
 * <p>Implementations are stateless or thread-safe.
 */
public interface EvidenceVerifier {

  /** A short stable name of the format, e.g. {@code "nitro"}. */
  String format();

  /** Whether {@code evidence} looks like this format (cheap; no verification). */
  boolean recognizes(byte[] evidence);

  /**
   * Verifies {@code evidence} and returns its verified claims.
   *
   * @throws AttestationException with the specific reason evidence was refused
   */
  VerifiedEnclave verify(byte[] evidence, VerificationContext context) throws AttestationException;
}
