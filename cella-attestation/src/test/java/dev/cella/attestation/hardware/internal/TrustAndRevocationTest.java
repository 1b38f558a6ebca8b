package dev.cella.attestation.hardware.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.attestation.AttestationException;
import dev.cella.attestation.AttestationException.Reason;
import dev.cella.attestation.hardware.internal.TestPki.Issued;
import dev.cella.attestation.nitro.NitroVerifier;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/** Pinning, path rules and CRL selection, with test certificates. */
class TrustAndRevocationTest {
  private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
  private final Issued root = TestPki.root("CN=Root", "secp256r1", T0.minusSeconds(9999),
      T0.plus(Duration.ofDays(99)));
  private final Issued ca = TestPki.issue(root, "CN=CA", "secp256r1", T0.minusSeconds(9999),
      T0.plus(Duration.ofDays(99)), true);
  private final Issued leaf = TestPki.issue(ca, "CN=Leaf", "secp256r1", T0.minusSeconds(9999),
      T0.plus(Duration.ofDays(99)), false);

  private static X509CRL crl(Issued issuer, Instant thisUpdate, Instant nextUpdate,
      X509Certificate revoked) throws Exception {
    X509v2CRLBuilder b = new X509v2CRLBuilder(
        X500Name.getInstance(issuer.cert().getSubjectX500Principal().getEncoded()),
        Date.from(thisUpdate));
    b.setNextUpdate(Date.from(nextUpdate));
    if (revoked != null) {
      b.addCRLEntry(revoked.getSerialNumber(), Date.from(thisUpdate), 1);
    }
    return new JcaX509CRLConverter().getCRL(
        b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.key())));
  }

  @Test
  void pinnedRoots_refuseAResourceWhoseKeyIsNotPinned() {
    assertThatThrownBy(() -> TrustedRoots.pinned(NitroVerifier.class,
        List.of("aws-nitro-enclaves-root-g1.pem"), List.of("00".repeat(32))))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("is not pinned");
  }

  @Test
  void revocation_listedCertificate_isRevoked() throws Exception {
    X509CRL list = crl(ca, T0.minusSeconds(60), T0.plusSeconds(3600), leaf.cert());

    assertThatThrownBy(() -> Revocation.check(leaf.cert(), ca.cert(), List.of(list), T0, "h"))
        .isInstanceOfSatisfying(AttestationException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.REVOKED))
        .hasMessageContaining("'CN=Leaf'");
  }

  @Test
  void revocation_crlWithTheIssuersNameButAnotherKey_doesNotCount() throws Exception {
    Issued impostor = TestPki.root("CN=CA", "secp256r1", T0.minusSeconds(9999),
        T0.plus(Duration.ofDays(9)));
    X509CRL forged = crl(impostor, T0.minusSeconds(60), T0.plusSeconds(3600), null);

    assertThatThrownBy(() -> Revocation.check(leaf.cert(), ca.cert(), List.of(forged), T0, "h"))
        .isInstanceOfSatisfying(AttestationException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.MISSING_COLLATERAL));
  }

  @Test
  void revocation_staleCrl_isExpiredWithItsWindow_andTheNewestValidOneWins() throws Exception {
    X509CRL stale = crl(ca, T0.minus(Duration.ofDays(60)), T0.minus(Duration.ofDays(30)), null);
    X509CRL fresh = crl(ca, T0.minusSeconds(60), T0.plusSeconds(3600), null);

    assertThatThrownBy(() -> Revocation.check(leaf.cert(), ca.cert(), List.of(stale), T0, "h"))
        .isInstanceOfSatisfying(AttestationException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.EXPIRED))
        .hasMessageContaining("CRL of 'CN=CA' has expired: valid from");
    Revocation.check(leaf.cert(), ca.cert(), List.of(stale, fresh), T0, "h");
  }

  @Test
  void chain_issuerThatIsNotACa_isBroken() throws Exception {
    Issued notCa = TestPki.issue(root, "CN=NotCA", "secp256r1", T0.minusSeconds(9999),
        T0.plus(Duration.ofDays(99)), false);
    Issued below = TestPki.issue(notCa, "CN=Below", "secp256r1", T0.minusSeconds(9999),
        T0.plus(Duration.ofDays(99)), false);
    TrustedRoots roots = TrustedRoots.pinned(NitroVerifier.class,
        List.of("aws-nitro-enclaves-root-g1.pem"), List.of(NitroVerifier.AWS_ROOT_G1_KEY_SHA256))
        .in(new dev.cella.attestation.VerificationContext(T0, List.of(root.cert()), true,
            java.util.Optional.empty()));

    assertThatThrownBy(() -> ChainBuilder.build(below.cert(), "test", List.of(notCa.cert()),
        roots, T0)).isInstanceOfSatisfying(AttestationException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.BROKEN_CHAIN))
        .hasMessageContaining("is not a CA");
    assertThat(ChainBuilder.build(leaf.cert(), "test", List.of(ca.cert()), roots, T0))
        .hasSize(3);
  }
}
