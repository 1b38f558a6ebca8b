package dev.cella.attestation.ratls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.EnclaveIdentity;
import dev.cella.PlatformKind;
import dev.cella.attestation.AttestationException;
import dev.cella.attestation.AttestationPolicy;
import dev.cella.attestation.Fixtures;
import dev.cella.attestation.VerifiedEnclave;
import dev.cella.attestation.platform.internal.CertificateIssuer;
import dev.cella.attestation.ratls.RaTlsCertificateException.Reason;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each check of the trust manager, in its order, with its own reason; and real handshakes. */
class RaTlsTrustManagerTest {
  @TempDir static Path dir;
  private static RaTlsFixture fixture;
  private static RaTlsCertificateProvider provider;

  @BeforeAll
  static void platform() {
    fixture = new RaTlsFixture(dir.resolve("process"));
    provider = RaTlsCertificateProvider.create(fixture.source());
  }

  @AfterAll
  static void close() {
    fixture.close();
  }

  private static RaTlsTrustManager trust() {
    return RaTlsTrustManager.create(fixture.policy().build());
  }

  private static X509Certificate[] chainOf(X509Certificate certificate) {
    return new X509Certificate[] {certificate};
  }

  private static RaTlsCertificateException refusal(RaTlsTrustManager trust,
      X509Certificate... chain) {
    try {
      trust.verify(chain);
    } catch (RaTlsCertificateException e) {
      return e;
    }
    throw new AssertionError("the trust manager accepted the certificate");
  }

  @Test
  void verify_genuineCertificate_returnsTheAttestedIdentity() throws Exception {
    VerifiedEnclave enclave = trust().verify(chainOf(provider.current().certificate()));

    assertThat(enclave.measurement().hex()).isEqualTo(Fixtures.measurement("app").hex());
    assertThat(enclave.reportData().toByteArray())
        .isEqualTo(RaTlsCertificates.keyBinding(provider.current().certificate().getPublicKey()));
  }

  @Test
  void certificate_carriesEvidenceInTheNonCriticalCmwExtension() throws Exception {
    X509Certificate certificate = provider.current().certificate();

    assertThat(certificate.getNonCriticalExtensionOIDs()).contains("1.3.6.1.5.5.7.1.35");
    assertThat(certificate.getSubjectX500Principal()).isEqualTo(certificate.getIssuerX500Principal());
    assertThat(certificate.getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(Duration.between(certificate.getNotBefore().toInstant(),
        certificate.getNotAfter().toInstant())).isEqualTo(Duration.ofMinutes(65));
    assertThat(RaTlsCertificates.evidence(certificate)).startsWith(0xd2, 0x84);
  }

  @Test
  void verify_otherMeasurement_isRefusedAsPolicyViolation() {
    RaTlsTrustManager trust = RaTlsTrustManager.create(fixture.policy()
        .measurement(Fixtures.measurement("other")).build());

    RaTlsCertificateException e = refusal(trust, provider.current().certificate());

    assertThat(e.reason()).isEqualTo(Reason.EVIDENCE_REFUSED);
    assertThat(e.attestationFailure().orElseThrow().reason())
        .isEqualTo(AttestationException.Reason.POLICY_VIOLATION);
    assertThat(e.getMessage()).contains("measurement");
  }

  @Test
  void verify_debugEnclave_isRefusedUnlessThePolicyAllowsDebug() throws Exception {
    EnclaveIdentity debug = Fixtures.identity(PlatformKind.PROCESS, 7, true);
    X509Certificate certificate =
        RaTlsCertificateProvider.create(fixture.source(debug)).current().certificate();

    RaTlsCertificateException e = refusal(trust(), certificate);

    assertThat(e.reason()).isEqualTo(Reason.EVIDENCE_REFUSED);
    assertThat(e.getMessage()).contains("debug");
    assertThat(RaTlsTrustManager.create(fixture.policy().insecureAllowDebug().build())
        .verify(chainOf(certificate)).debug()).isTrue();
  }

  @Test
  void verify_evidenceFromAnUntrustedPlatform_isRefused() throws Exception {
    try (RaTlsFixture other = new RaTlsFixture(dir.resolve("other"))) {
      X509Certificate foreign =
          RaTlsCertificateProvider.create(other.source()).current().certificate();

      RaTlsCertificateException e = refusal(trust(), foreign);

      assertThat(e.reason()).isEqualTo(Reason.EVIDENCE_REFUSED);
      assertThat(e.attestationFailure().orElseThrow().reason())
          .isEqualTo(AttestationException.Reason.UNTRUSTED_ROOT);
    }
  }

  @Test
  void verify_evidenceReplayedUnderAnotherKey_isRefusedAsKeyNotBound() throws Exception {
    X509Certificate genuine = provider.current().certificate();
    KeyPair attacker = CertificateIssuer.newKeyPair();
    X509Certificate replayed = selfSigned(attacker, genuine.getExtensionValue(
        RaTlsCertificates.EVIDENCE_EXTENSION_OID), Instant.now(), Duration.ofHours(1));

    RaTlsCertificateException e = refusal(trust(), replayed);

    assertThat(e.reason()).isEqualTo(Reason.KEY_NOT_BOUND);
    assertThat(e.getMessage()).contains("replayed");
  }

  @Test
  void verify_expiredCertificate_isRefusedAsExpired() throws Exception {
    Clock past = Clock.fixed(Instant.now().minus(Duration.ofHours(3)), ZoneOffset.UTC);
    X509Certificate old = RaTlsCertificateProvider.builder(fixture.source()).clock(past).build()
        .current().certificate();

    RaTlsCertificateException e = refusal(trust(), old);

    assertThat(e.reason()).isEqualTo(Reason.EXPIRED);
    assertThat(e.getMessage()).contains("expired at");
  }

  @Test
  void verify_beforeNotBefore_isRefusedAsNotYetValid() {
    Clock early = Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC);
    RaTlsTrustManager trust = RaTlsTrustManager.builder(fixture.policy().build()).clock(early).build();

    assertThat(refusal(trust, provider.current().certificate()).reason())
        .isEqualTo(Reason.NOT_YET_VALID);
  }

  @Test
  void verify_evidenceOlderThanTheMaximumAge_isRefusedAsTooOld() throws Exception {
    X509Certificate longLived = RaTlsCertificateProvider.builder(fixture.source())
        .validity(Duration.ofHours(4)).build().current().certificate();
    Clock later = Clock.fixed(Instant.now().plus(Duration.ofMinutes(90)), ZoneOffset.UTC);
    RaTlsTrustManager trust = RaTlsTrustManager.builder(fixture.policy().build()).clock(later).build();

    RaTlsCertificateException e = refusal(trust, longLived);

    assertThat(e.reason()).isEqualTo(Reason.EVIDENCE_TOO_OLD);
    assertThat(RaTlsTrustManager.builder(fixture.policy().build()).clock(later)
        .maxEvidenceAge(Duration.ofHours(2)).build().verify(chainOf(longLived))).isNotNull();
  }

  @Test
  void verify_cachedCertificate_isStillRefusedOnceExpired() throws Exception {
    X509Certificate certificate = provider.current().certificate();
    Instant now = Instant.now();
    RaTlsTrustManager trust = trust();
    trust.verify(chainOf(certificate), now);

    assertThatThrownBy(() -> trust.verify(chainOf(certificate), now.plus(Duration.ofHours(2))))
        .isInstanceOfSatisfying(RaTlsCertificateException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.EXPIRED));
  }

  @Test
  void verify_caIssuedChain_isRefusedWithoutCaTrust() throws Exception {
    TestCa ca = new TestCa();

    RaTlsCertificateException chain = refusal(trust(), ca.leaf, ca.root);
    RaTlsCertificateException leafOnly = refusal(trust(), ca.leaf);

    assertThat(chain.reason()).isEqualTo(Reason.NOT_A_SINGLE_CERTIFICATE);
    assertThat(chain.getMessage()).contains("CA-issued certificates are never trusted");
    assertThat(leafOnly.reason()).isEqualTo(Reason.NOT_SELF_SIGNED);
    assertThat(leafOnly.getMessage()).contains("issued by CN=Test CA");
  }

  @Test
  void verify_plainSelfSignedCertificate_isRefusedAsNoEvidence() throws Exception {
    X509Certificate plain = selfSigned(CertificateIssuer.newKeyPair(), null, Instant.now(),
        Duration.ofHours(1));

    assertThat(refusal(trust(), plain).reason()).isEqualTo(Reason.NO_EVIDENCE);
  }

  @Test
  void verify_garbageInTheExtension_isRefusedAsMalformed() throws Exception {
    byte[] garbage = new DEROctetString(new DEROctetString(new byte[] {(byte) 0x83, 1, 2}))
        .getEncoded();
    X509Certificate bad = selfSigned(CertificateIssuer.newKeyPair(), garbage, Instant.now(),
        Duration.ofHours(1));

    RaTlsCertificateException e = refusal(trust(), bad);

    assertThat(e.reason()).isEqualTo(Reason.MALFORMED_EXTENSION);
    assertThat(e.getMessage()).contains("offset");
  }

  @Test
  void verify_noCertificate_isRefused() {
    assertThat(refusal(trust()).reason()).isEqualTo(Reason.NOT_A_SINGLE_CERTIFICATE);
  }

  @Test
  void builder_policyWithNonceOrReportData_isRefused() {
    assertThatThrownBy(() -> RaTlsTrustManager.builder(
        fixture.policy().nonce(dev.cella.Bytes.of(new byte[8])).build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nonce");
    assertThatThrownBy(() -> RaTlsTrustManager.builder(
        fixture.policy().reportData(dev.cella.Bytes.of(new byte[8])).build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("report data");
  }

  @Test
  void handshake_mutualRaTls_succeedsAndStoresEachPeerInItsSession() throws Exception {
    RaTlsCertificateProvider clientProvider = RaTlsCertificateProvider.create(fixture.source());
    TlsLoop tls = new TlsLoop(clientProvider.keyManager(), trust(), provider.keyManager(), trust(),
        true);

    tls.handshake();

    assertThat(tls.client.getSession().getProtocol()).isEqualTo("TLSv1.3");
    assertThat(tls.client.getSession().getValue(RaTlsTrustManager.SESSION_VALUE))
        .isInstanceOf(VerifiedEnclave.class);
    assertThat(tls.server.getSession().getValue(RaTlsTrustManager.SESSION_VALUE))
        .isInstanceOf(VerifiedEnclave.class);
    assertThat(trust().verifiedPeer(tls.server.getSession()).measurement().hex())
        .isEqualTo(Fixtures.measurement("app").hex());
  }

  @Test
  void handshake_genuineCertificateWithoutItsPrivateKey_fails() throws Exception {
    X509Certificate stolen = provider.current().certificate();
    PrivateKey wrong = CertificateIssuer.newKeyPair().getPrivate();
    TlsLoop tls = new TlsLoop(null, trust(), new FixedKeyManager(stolen, wrong), null, false);

    assertThatThrownBy(tls::handshake).isInstanceOf(SSLException.class);
    assertThat(tls.client.getSession().getValue(RaTlsTrustManager.SESSION_VALUE)).isNull();
  }

  @Test
  void handshake_caIssuedServer_isRefusedByTheClientWithTheReason() throws Exception {
    TestCa ca = new TestCa();
    TlsLoop tls = new TlsLoop(null, trust(),
        new FixedKeyManager(ca.leaf, ca.leafKey.getPrivate(), ca.root), null, false);

    assertThatThrownBy(tls::handshake).isInstanceOf(SSLException.class)
        .rootCause().isInstanceOf(RaTlsCertificateException.class)
        .hasMessageContaining("never trusted");
  }

  @Test
  void provider_renewsBeforeExpiry_andTheKeyManagerStillKnowsTheLastAlias() throws Exception {
    MutableClock clock = new MutableClock(Instant.now());
    RaTlsCertificateProvider renewing = RaTlsCertificateProvider.builder(fixture.source())
        .clock(clock).build();
    RaTlsCredential first = renewing.current();
    String alias = renewing.keyManager().chooseServerAlias("EC", null, (Socket) null);

    clock.now = clock.now.plus(Duration.ofMinutes(30));
    assertThat(renewing.current()).isSameAs(first);
    clock.now = clock.now.plus(Duration.ofMinutes(20));
    RaTlsCredential second = renewing.current();

    assertThat(second).isNotSameAs(first);
    assertThat(second.certificate().getPublicKey()).isNotEqualTo(first.certificate().getPublicKey());
    assertThat(renewing.keyManager().getCertificateChain(alias)).containsExactly(first.certificate());
    assertThat(renewing.keyManager().chooseServerAlias("RSA", null, (Socket) null)).isNull();
  }

  /** A root and a leaf it issued, as a plain TLS server's certificate would be. */
  static final class TestCa {
    final X509Certificate root;
    final X509Certificate leaf;
    final KeyPair leafKey;

    TestCa() throws Exception {
      KeyPair rootKey = CertificateIssuer.newKeyPair();
      Instant now = Instant.now();
      root = CertificateIssuer.root(new X500Principal("CN=Test CA"), rootKey,
          now.minusSeconds(60), now.plus(Duration.ofDays(1)));
      leafKey = CertificateIssuer.newKeyPair();
      leaf = CertificateIssuer.leaf(new X500Principal("CN=localhost"), leafKey.getPublic(), root,
          rootKey.getPrivate(), now.minusSeconds(60), now.plus(Duration.ofDays(1)));
    }
  }

  /** A self-signed certificate for {@code pair}, with the given raw extnValue if not null. */
  static X509Certificate selfSigned(KeyPair pair, byte[] extnValue, Instant now, Duration validity)
      throws Exception {
    X500Principal subject = RaTlsCertificates.SUBJECT;
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, BigInteger.TEN,
        Date.from(now.minusSeconds(60)), Date.from(now.plus(validity)), subject, pair.getPublic());
    if (extnValue != null) {
      byte[] inner = ((DEROctetString) DEROctetString.fromByteArray(extnValue)).getOctets();
      builder.addExtension(new ASN1ObjectIdentifier(RaTlsCertificates.EVIDENCE_EXTENSION_OID),
          false, inner);
    }
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA384withECDSA").build(pair.getPrivate())));
  }

  /** Presents a fixed chain with a fixed key, whether or not they belong together. */
  static final class FixedKeyManager extends X509ExtendedKeyManager {
    private final X509Certificate[] chain;
    private final PrivateKey key;

    FixedKeyManager(X509Certificate leaf, PrivateKey key, X509Certificate... more) {
      this.chain = new X509Certificate[1 + more.length];
      this.chain[0] = leaf;
      System.arraycopy(more, 0, this.chain, 1, more.length);
      this.key = key;
    }

    @Override public String[] getClientAliases(String t, Principal[] i) { return new String[] {"k"}; }
    @Override public String chooseClientAlias(String[] t, Principal[] i, Socket s) { return "k"; }
    @Override public String chooseEngineClientAlias(String[] t, Principal[] i, SSLEngine e) { return "k"; }
    @Override public String[] getServerAliases(String t, Principal[] i) { return new String[] {"k"}; }
    @Override public String chooseServerAlias(String t, Principal[] i, Socket s) { return "EC".equals(t) ? "k" : null; }
    @Override public String chooseEngineServerAlias(String t, Principal[] i, SSLEngine e) { return "EC".equals(t) ? "k" : null; }
    @Override public X509Certificate[] getCertificateChain(String alias) { return chain.clone(); }
    @Override public PrivateKey getPrivateKey(String alias) { return key; }
  }

  static final class MutableClock extends Clock {
    volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(java.time.ZoneId zone) { return this; }
    @Override public Instant instant() { return now; }
  }
}
