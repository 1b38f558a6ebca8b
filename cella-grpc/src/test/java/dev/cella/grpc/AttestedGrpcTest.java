package dev.cella.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cella.attestation.AttestationPolicy;
import dev.cella.attestation.platform.internal.CertificateIssuer;
import dev.cella.attestation.ratls.RaTlsCertificateProvider;
import dev.cella.attestation.ratls.RaTlsCertificates;
import dev.cella.attestation.ratls.RaTlsTrustManager;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsServerCredentials;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Attested gRPC over loopback: calls that pass, and every refusal with its own reason. */
class AttestedGrpcTest {
  @TempDir static Path dir;
  private static GrpcFixture fixture;
  private Server server;
  private ManagedChannel channel;

  @BeforeAll
  static void platform() {
    fixture = new GrpcFixture(dir.resolve("process"));
  }

  @AfterAll
  static void close() {
    fixture.close();
  }

  @AfterEach
  void shutdown() throws InterruptedException {
    GrpcFixture.shutdown(server, channel);
  }

  private ServerCredentials kvServer() {
    return AttestedServerCredentials.builder(fixture.source(GrpcFixture.identity("kv", 1, false)))
        .build();
  }

  private String callWith(ServerCredentials serverCredentials, AttestationPolicy policy)
      throws Exception {
    server = GrpcFixture.serve(serverCredentials);
    channel = GrpcFixture.channel(server, AttestedChannelCredentials.create(policy));
    return GrpcFixture.say(channel, "hello");
  }

  private Status refusedWith(ServerCredentials serverCredentials, AttestationPolicy policy) {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> callWith(serverCredentials, policy));
    assertThat(e).as("the call should have been refused").isNotNull();
    return e.getStatus();
  }

  @Test
  void call_toTheExpectedEnclave_succeedsAndTheServerSeesNoClientIdentity() throws Exception {
    assertThat(callWith(kvServer(), fixture.policyFor("kv").build())).isEqualTo("anonymous: hello");
  }

  @Test
  void call_mutualAttestation_theServerSeesTheClientsVerifiedIdentity() throws Exception {
    ServerCredentials mutual = AttestedServerCredentials
        .builder(fixture.source(GrpcFixture.identity("kv", 1, false)))
        .requireClientAttestation(RaTlsTrustManager.create(fixture.policyFor("client").build()))
        .build();
    server = GrpcFixture.serve(mutual);
    channel = GrpcFixture.channel(server, AttestedChannelCredentials
        .builder(RaTlsTrustManager.create(fixture.policyFor("kv").build()))
        .attestClient(fixture.source(GrpcFixture.identity("client", 9, false)))
        .build());

    assertThat(GrpcFixture.say(channel, "hello")).isEqualTo("product 9 svn 3: hello");
  }

  @Test
  void call_mutualAttestation_clientWithoutCertificate_isRefused() throws Exception {
    ServerCredentials mutual = AttestedServerCredentials
        .builder(fixture.source(GrpcFixture.identity("kv", 1, false)))
        .requireClientAttestation(RaTlsTrustManager.create(fixture.policyFor("client").build()))
        .build();

    Status status = refusedWith(mutual, fixture.policyFor("kv").build());

    assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void call_mutualAttestation_clientOfAnotherMeasurement_isRefused() throws Exception {
    ServerCredentials mutual = AttestedServerCredentials
        .builder(fixture.source(GrpcFixture.identity("kv", 1, false)))
        .requireClientAttestation(RaTlsTrustManager.create(fixture.policyFor("client").build()))
        .build();
    server = GrpcFixture.serve(mutual);
    channel = GrpcFixture.channel(server, AttestedChannelCredentials
        .builder(RaTlsTrustManager.create(fixture.policyFor("kv").build()))
        .attestClient(fixture.source(GrpcFixture.identity("intruder", 9, false)))
        .build());

    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> GrpcFixture.say(channel, "hello"));

    assertThat(e).isNotNull();
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void call_serverOfAnotherMeasurement_isRefusedUnavailableWithTheReason() {
    Status status = refusedWith(kvServer(), fixture.policyFor("other").build());

    assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(AttestedPeer.refusalReason(status)).hasValueSatisfying(reason ->
        assertThat(reason).startsWith("EVIDENCE_REFUSED").contains("measurement"));
    assertThat(status.getDescription()).startsWith(
        "the server's attestation was refused (EVIDENCE_REFUSED): the peer's evidence is refused"
            + " (POLICY_VIOLATION)");
  }

  @Test
  void call_debugServer_isRefusedWhenThePolicyRefusesDebug() {
    ServerCredentials debug = AttestedServerCredentials
        .builder(fixture.source(GrpcFixture.identity("kv", 1, true))).build();

    Status status = refusedWith(debug, fixture.policyFor("kv").build());

    assertThat(AttestedPeer.refusalReason(status)).hasValueSatisfying(reason ->
        assertThat(reason).startsWith("EVIDENCE_REFUSED").contains("debug"));
  }

  @Test
  void call_serverReplayingAnotherEnclavesEvidence_isRefusedAsKeyNotBound() throws Exception {
    X509Certificate genuine = RaTlsCertificateProvider
        .create(fixture.source(GrpcFixture.identity("kv", 1, false))).current().certificate();
    KeyPair attacker = CertificateIssuer.newKeyPair();
    X509Certificate replayed = withEvidenceOf(genuine, attacker);

    Status status = refusedWith(TlsServerCredentials.newBuilder()
        .keyManager(new FixedKeyManager(attacker.getPrivate(), replayed)).build(),
        fixture.policyFor("kv").build());

    assertThat(AttestedPeer.refusalReason(status)).hasValueSatisfying(reason ->
        assertThat(reason).startsWith("KEY_NOT_BOUND").contains("replayed"));
  }

  @Test
  void call_serverPresentingAGenuineCertificateWithoutItsKey_failsTheHandshake() throws Exception {
    X509Certificate genuine = RaTlsCertificateProvider
        .create(fixture.source(GrpcFixture.identity("kv", 1, false))).current().certificate();

    Status status = refusedWith(TlsServerCredentials.newBuilder()
        .keyManager(new FixedKeyManager(CertificateIssuer.newKeyPair().getPrivate(), genuine))
        .build(), fixture.policyFor("kv").build());

    assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void call_serverWithAnExpiredCertificate_isRefusedAsExpired() {
    Clock past = Clock.fixed(Instant.now().minus(Duration.ofHours(3)), ZoneOffset.UTC);
    RaTlsCertificateProvider old = RaTlsCertificateProvider
        .builder(fixture.source(GrpcFixture.identity("kv", 1, false))).clock(past).build();

    Status status = refusedWith(AttestedServerCredentials.builder(old).build(),
        fixture.policyFor("kv").build());

    assertThat(AttestedPeer.refusalReason(status)).hasValueSatisfying(reason ->
        assertThat(reason).startsWith("EXPIRED").contains("expired at"));
  }

  @Test
  void call_plainTlsServerWithACaIssuedCertificate_isRefusedWithoutCaTrust() throws Exception {
    KeyPair caKey = CertificateIssuer.newKeyPair();
    Instant now = Instant.now();
    X509Certificate ca = CertificateIssuer.root(new X500Principal("CN=Test CA"), caKey,
        now.minusSeconds(60), now.plus(Duration.ofDays(1)));
    KeyPair leafKey = CertificateIssuer.newKeyPair();
    X509Certificate leaf = CertificateIssuer.leaf(new X500Principal("CN=localhost"),
        leafKey.getPublic(), ca, caKey.getPrivate(), now.minusSeconds(60),
        now.plus(Duration.ofDays(1)));

    Status status = refusedWith(TlsServerCredentials.newBuilder()
        .keyManager(new FixedKeyManager(leafKey.getPrivate(), leaf, ca)).build(),
        fixture.policyFor("kv").build());

    assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(AttestedPeer.refusalReason(status)).hasValueSatisfying(reason ->
        assertThat(reason).startsWith("NOT_A_SINGLE_CERTIFICATE").contains("never trusted"));
  }

  /** A self-signed certificate for {@code key} carrying {@code genuine}'s evidence extension. */
  private static X509Certificate withEvidenceOf(X509Certificate genuine, KeyPair key)
      throws Exception {
    byte[] extnValue = genuine.getExtensionValue(RaTlsCertificates.EVIDENCE_EXTENSION_OID);
    byte[] inner = ((DEROctetString) DEROctetString.fromByteArray(extnValue)).getOctets();
    Instant now = Instant.now();
    var builder = new JcaX509v3CertificateBuilder(RaTlsCertificates.SUBJECT, BigInteger.TWO,
        Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofHours(1))),
        RaTlsCertificates.SUBJECT, key.getPublic());
    builder.addExtension(new ASN1ObjectIdentifier(RaTlsCertificates.EVIDENCE_EXTENSION_OID),
        false, inner);
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA384withECDSA").build(key.getPrivate())));
  }
}
