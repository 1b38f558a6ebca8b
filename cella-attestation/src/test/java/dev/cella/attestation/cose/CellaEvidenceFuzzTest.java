package dev.cella.attestation.cose;

import dev.cella.testkit.AllocationBudget;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.cella.PlatformKind;
import dev.cella.attestation.AttestationException;
import dev.cella.attestation.VerificationContext;
import dev.cella.attestation.VerifiedEnclave;
import dev.cella.attestation.cose.internal.CoseSign1;
import dev.cella.attestation.platform.internal.AttestationKey;
import dev.cella.attestation.platform.internal.PlatformKeys;
import dev.cella.attestation.platform.internal.PlatformStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Fuzz targets for cella-cose evidence: whatever the bytes, {@link CellaEvidenceVerifier} returns
 * a {@link VerifiedEnclave} or throws {@link AttestationException}, nothing else, and {@code
 * recognizes} never throws. One target takes whole evidence (its corpus was signed by the sim
 * platform whose root is {@value #ROOT}); the other takes a claims payload and signs it with a
 * fresh platform's attestation key, so that the fuzzer reaches the checks after the signature.
 */
class CellaEvidenceFuzzTest {
  /** The root that signed the committed evidence seeds (written with them by FuzzSeedsWriter). */
  static final String ROOT = "fuzz-seed-root.pem";
  /** When the seeds were issued; their chain is valid for 90 days from then. */
  static final Instant ISSUED = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant AT = ISSUED.plusSeconds(60);
  private static final CellaEvidenceVerifier VERIFIER = new CellaEvidenceVerifier();
  private static final Platform FRESH = Platform.create();

  @FuzzTest
  void verify_anyEvidence_isVerifiedOrAttestationException(byte[] evidence) throws Exception {
    AllocationBudget.check(AllocationBudget.ALLOWANCE + 64L * evidence.length, () -> {
      boolean recognized = VERIFIER.recognizes(evidence);
      try {
        checkVerified(VERIFIER.verify(evidence, SeedRoot.CONTEXT));
      } catch (AttestationException refused) {
        return;
      }
      assertThat(recognized).as("verified evidence is recognized").isTrue();
    });
  }

  @FuzzTest
  void verify_signedAnyClaims_isVerifiedOrAttestationException(byte[] claims) throws Exception {
    byte[] evidence = FRESH.sign(claims);
    AllocationBudget.check(AllocationBudget.ALLOWANCE + 64L * evidence.length, () -> {
      try {
        VerifiedEnclave verified = VERIFIER.verify(evidence, FRESH.context());
        checkVerified(verified);
        assertThat(verified.platform()).isEqualTo(PlatformKind.SIM);
      } catch (AttestationException refused) {
        // refused: fine
      }
    });
  }

  /** The committed seeds still verify: the corpus starts from evidence that passes every check. */
  @Test
  void validSeeds_verify() throws Exception {
    for (String seed : List.of("seed-valid", "seed-empty-bindings")) {
      checkVerified(VERIFIER.verify(input("verify_anyEvidence_isVerifiedOrAttestationException", seed),
          SeedRoot.CONTEXT));
    }
    checkVerified(VERIFIER.verify(
        FRESH.sign(input("verify_signedAnyClaims_isVerifiedOrAttestationException", "seed-sim")),
        FRESH.context()));
  }

  private static byte[] input(String method, String name) throws IOException {
    try (InputStream in = CellaEvidenceFuzzTest.class.getResourceAsStream(
        "CellaEvidenceFuzzTestInputs/" + method + "/" + name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }

  private static void checkVerified(VerifiedEnclave verified) {
    assertThat(verified.format()).isEqualTo(CellaEvidence.FORMAT);
    assertThat(verified.securityLevel())
        .isEqualTo(CellaEvidence.securityLevelOf(verified.platform()));
    assertThat(verified.measurement().length()).isEqualTo(48);
    assertThat(verified.signer()).hasValueSatisfying(s -> assertThat(s.length()).isEqualTo(48));
    assertThat(verified.reportData().length()).isLessThanOrEqualTo(64);
    assertThat(verified.nonce()).hasValueSatisfying(n -> assertThat(n.length()).isLessThanOrEqualTo(64));
  }

  /** Loaded on first use, so that FuzzSeedsWriter can use this class's constants before it exists. */
  private static final class SeedRoot {
    static final VerificationContext CONTEXT =
        new VerificationContext(AT, List.of(seedRoot()), false, Optional.empty());
  }

  private static X509Certificate seedRoot() {
    try (InputStream in = CellaEvidenceFuzzTest.class.getResourceAsStream(ROOT)) {
      if (in == null) {
        throw new IllegalStateException(ROOT + " is missing; run FuzzSeedsWriter");
      }
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    } catch (IOException | CertificateException e) {
      throw new IllegalStateException("cannot read " + ROOT, e);
    }
  }

  /** A sim platform made for this run, whose attestation key signs what the fuzzer gives. */
  record Platform(AttestationKey key, X509Certificate root) {
    static Platform create() {
      try {
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "fuzz-platform");
        PlatformKeys.Loaded loaded =
            PlatformKeys.openOrCreate(new PlatformStore(dir, PlatformKind.SIM), PlatformKind.SIM, ISSUED);
        return new Platform(loaded.attestation(), loaded.root());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    byte[] sign(byte[] payload) {
      try {
        return CoseSign1.sign(payload, List.of(key.certificate(), root), key.privateKey());
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("cannot sign", e);
      }
    }

    VerificationContext context() {
      return new VerificationContext(AT, List.of(root), false, Optional.empty());
    }
  }
}
