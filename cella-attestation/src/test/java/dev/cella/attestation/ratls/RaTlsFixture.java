package dev.cella.attestation.ratls;

import dev.cella.EnclaveIdentity;
import dev.cella.PlatformKind;
import dev.cella.attestation.AttestationPolicy;
import dev.cella.attestation.Fixtures;
import dev.cella.attestation.platform.SoftwarePlatform;
import java.nio.file.Path;

/** A process platform and an enclave identity on it, as the RA-TLS tests' evidence source. */
final class RaTlsFixture implements AutoCloseable {
  final SoftwarePlatform platform;

  RaTlsFixture(Path dir) {
    platform = SoftwarePlatform.open(PlatformKind.PROCESS, dir);
  }

  EvidenceSource source(EnclaveIdentity identity) {
    return (nonce, data) -> platform.issueEvidence(identity, nonce, data, Fixtures.FACTS);
  }

  EvidenceSource source() {
    return source(Fixtures.identity(PlatformKind.PROCESS));
  }

  /** The policy accepting the fixture identity's measurement on this platform. */
  AttestationPolicy.Builder policy() {
    return AttestationPolicy.builder()
        .measurement(Fixtures.measurement("app"))
        .trustSoftwarePlatform(platform.rootCertificate());
  }

  @Override
  public void close() {
    platform.close();
  }
}
