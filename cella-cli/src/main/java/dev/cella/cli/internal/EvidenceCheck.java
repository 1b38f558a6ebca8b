package dev.cella.cli.internal;

import dev.cella.Bytes;
import dev.cella.Enclave;
import dev.cella.PlatformKind;
import dev.cella.attestation.AttestationException;
import dev.cella.attestation.AttestationPolicy;
import dev.cella.attestation.AttestationVerifier;
import dev.cella.attestation.VerifiedEnclave;
import dev.cella.attestation.platform.SoftwarePlatform;
import java.util.Optional;

/**
 * The demo's attestation check: the enclave's evidence against a policy pinned to the bundle's
 * measurement, the demo's fresh nonce, report data = SHA-384 of the public key, and the
 * platform's root trusted by name (and, on sim, the loudly named insecure opt-in).
 */
record EvidenceCheck(Optional<VerifiedEnclave> verified, String policy, String detail) {

  static EvidenceCheck verify(Enclave enclave, byte[] evidence, byte[] nonce, byte[] reportData) {
    PlatformKind kind = enclave.identity().platform();
    AttestationPolicy.Builder policy = AttestationPolicy.builder()
        .measurement(Bytes.of(enclave.identity().measurement().toByteArray()))
        .nonce(Bytes.of(nonce))
        .reportData(Bytes.of(reportData));
    try (SoftwarePlatform platform =
             SoftwarePlatform.open(kind, SoftwarePlatform.defaultDirectory(kind))) {
      policy.trustSoftwarePlatform(platform.rootCertificate());
    }
    if (kind == PlatformKind.SIM) {
      policy.insecureAcceptSimulated();
    }
    AttestationPolicy built = policy.build();
    String text = "measurement pinned, fresh nonce, report data = SHA-384(public key), "
        + kind.id() + " root trusted" + (kind == PlatformKind.SIM ? ", insecure=accept-simulated" : "");
    try {
      return new EvidenceCheck(Optional.of(AttestationVerifier.create().verify(evidence, built)),
          text, "verified");
    } catch (AttestationException e) {
      return new EvidenceCheck(Optional.empty(), text, e.reason() + ": " + e.getMessage());
    }
  }
}
