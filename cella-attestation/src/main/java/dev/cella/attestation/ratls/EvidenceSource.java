package dev.cella.attestation.ratls;

/**
 * Where RA-TLS certificates get their evidence: the platform of the enclave that makes them.
 * Inside an enclave this is the enclave's context ({@code EnclaveContext} is one); tests may use a
 * {@link dev.cella.attestation.platform.SoftwarePlatform} directly.
 *
 * <p>Example: {@code RaTlsCertificateProvider.create(context)} or {@code
 * RaTlsCertificateProvider.create((nonce, data) -> platform.issueEvidence(identity, nonce, data,
 * facts))}.
 *
 * <p>Implementations must be thread-safe.
 */
@FunctionalInterface
public interface EvidenceSource {

  /**
   * Evidence of the caller's identity from its platform, binding {@code nonce} and {@code
   * reportData} (each at most 64 bytes).
   */
  byte[] evidence(byte[] nonce, byte[] reportData);
}
