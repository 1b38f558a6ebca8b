package dev.cella.examples.signer;

import dev.cella.EnclaveService;

/**
 * Signs files with an ECDSA P-384 key that lives only inside the enclave: made there on first
 * use, kept in the enclave's sealed storage (ciphertext on the host), never returned.
 */
@EnclaveService
public interface SignerService {
  /**
   * A signature and what the host needs to trust it.
   *
   * @param publicKey the signing key's public half, X.509 SubjectPublicKeyInfo DER
   * @param signature SHA384withECDSA over the content, DER
   * @param evidence the platform's evidence for this enclave, binding the verifier's nonce and,
   *     as report data, SHA-384 of {@code publicKey}
   * @param keyCreated whether the key was made by this call (else it came from sealed storage)
   */
  record Signed(byte[] publicKey, byte[] signature, byte[] evidence, boolean keyCreated) {}

  /** Signs {@code content}; {@code nonce} (at most 64 bytes) goes into the evidence. */
  Signed sign(byte[] content, byte[] nonce);
}
