package dev.cella.attestation.ratls;

import dev.cella.Bytes;
import dev.cella.attestation.AttestationException;
import dev.cella.attestation.AttestationPolicy;
import dev.cella.attestation.AttestationVerifier;
import dev.cella.attestation.VerifiedEnclave;
import dev.cella.attestation.ratls.RaTlsCertificateException.Reason;
import dev.cella.attestation.ratls.internal.VerifiedCache;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts a TLS peer only for its attested identity: the peer must present a single self-signed
 * RA-TLS certificate whose evidence verifies under an {@link AttestationPolicy} and binds the
 * certificate's own key. Checks, in order, each refusing with its own {@link
 * RaTlsCertificateException.Reason}: exactly one certificate; self-signed (issuer is subject, and
 * its signature verifies with its own key); no unknown critical extension; within its validity at
 * the verification time; the evidence extension present and well-formed; the evidence verified by
 * {@link AttestationVerifier} with the policy; the evidence's report data equal to the SHA-384 of
 * this certificate's SubjectPublicKeyInfo; the evidence issued at most the maximum age before the
 * verification time. There is no fallback to CA trust, ever, and host names are not checked: the
 * identity is the attested one.
 *
 * <p>A verified certificate is remembered (by the hash of its bytes) so that a peer presenting it
 * again skips the signature checks; the time checks are made again every time.
 *
 * <pre>{@code
 * RaTlsTrustManager trust = RaTlsTrustManager.create(AttestationPolicy.parse(
 *     "measurement=" + expected.hex() + " root=process-root.pem"));
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class RaTlsTrustManager extends X509ExtendedTrustManager {
  /** The default maximum age of the evidence: the default certificate validity. */
  public static final Duration DEFAULT_MAX_EVIDENCE_AGE = RaTlsCertificateProvider.DEFAULT_VALIDITY;
  /** The name under which the verified peer is stored in the TLS session. */
  public static final String SESSION_VALUE = "dev.cella.ratls.peer";

  private static final Set<String> KNOWN_CRITICAL =
      Set.of("2.5.29.19", "2.5.29.15", RaTlsCertificates.EVIDENCE_EXTENSION_OID);

  private final AttestationPolicy policy;
  private final AttestationVerifier verifier;
  private final Clock clock;
  private final Duration maxEvidenceAge;
  private final VerifiedCache cache = new VerifiedCache(256);

  private RaTlsTrustManager(Builder b) {
    this.policy = b.policy;
    this.verifier = b.verifier != null ? b.verifier : AttestationVerifier.create();
    this.clock = b.clock;
    this.maxEvidenceAge = b.maxEvidenceAge;
  }

  /** A trust manager for {@code policy} with the default verifier, clock and maximum age. */
  public static RaTlsTrustManager create(AttestationPolicy policy) {
    return builder(policy).build();
  }

  /**
   * A builder for a trust manager applying {@code policy}.
   *
   * @throws IllegalArgumentException if the policy requires a nonce or report data: an RA-TLS
   *     certificate's report data is its key's hash, and it answers no verifier's nonce
   */
  public static Builder builder(AttestationPolicy policy) {
    return new Builder(policy);
  }

  /** The policy peers are verified against. */
  public AttestationPolicy policy() {
    return policy;
  }

  /**
   * Verifies a peer's certificate chain now.
   *
   * @return what the peer's evidence proves
   * @throws RaTlsCertificateException naming the first check that failed
   */
  public VerifiedEnclave verify(X509Certificate[] chain) throws RaTlsCertificateException {
    return verify(chain, clock.instant());
  }

  /** Verifies a peer's certificate chain at {@code at}. */
  public VerifiedEnclave verify(X509Certificate[] chain, Instant at)
      throws RaTlsCertificateException {
    Objects.requireNonNull(at, "at");
    if (chain == null || chain.length != 1 || chain[0] == null) {
      throw new RaTlsCertificateException(Reason.NOT_A_SINGLE_CERTIFICATE, chain == null
          || chain.length == 0 ? "the peer presented no certificate"
          : "the peer presented a chain of " + chain.length + " certificates (the first issued by "
              + chain[0].getIssuerX500Principal().getName() + "); an RA-TLS certificate is"
              + " self-signed and stands alone: CA-issued certificates are never trusted");
    }
    X509Certificate certificate = chain[0];
    String key;
    try {
      key = VerifiedCache.keyOf(certificate);
    } catch (CertificateException e) {
      throw new RaTlsCertificateException(Reason.NOT_SELF_SIGNED,
          "the certificate cannot be encoded: " + e.getMessage());
    }
    VerifiedEnclave enclave = cache.getOrNull(key);
    if (enclave == null) {
      checkSelfSigned(certificate);
      checkCriticalExtensions(certificate);
      checkValidity(certificate, at);
      enclave = verifyEvidence(certificate, at);
      checkAge(enclave, at);
      cache.put(key, enclave);
    } else {
      checkValidity(certificate, at);
      checkAge(enclave, at);
    }
    return enclave;
  }

  /**
   * The verified peer of an established TLS session: the value this trust manager stored during
   * the handshake, else the peer's certificate verified again now.
   *
   * @throws RaTlsCertificateException if the session has no peer certificate or it fails now
   */
  public VerifiedEnclave verifiedPeer(SSLSession session) throws RaTlsCertificateException {
    Certificate[] peer;
    try {
      peer = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      throw new RaTlsCertificateException(Reason.NOT_A_SINGLE_CERTIFICATE,
          "the peer presented no certificate");
    }
    X509Certificate[] chain = new X509Certificate[peer.length];
    for (int i = 0; i < peer.length; i++) {
      if (!(peer[i] instanceof X509Certificate x509)) {
        throw new RaTlsCertificateException(Reason.NOT_A_SINGLE_CERTIFICATE,
            "the peer's certificate is not X.509");
      }
      chain[i] = x509;
    }
    return verify(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    verify(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    verify(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    remember(verify(chain), socket instanceof SSLSocket s ? s.getHandshakeSession() : null);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    remember(verify(chain), socket instanceof SSLSocket s ? s.getHandshakeSession() : null);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    remember(verify(chain), engine == null ? null : engine.getHandshakeSession());
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    remember(verify(chain), engine == null ? null : engine.getHandshakeSession());
  }

  /** None: an RA-TLS peer's certificate has no issuer but itself. */
  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }

  private static void remember(VerifiedEnclave enclave, SSLSession handshakeSession) {
    if (handshakeSession != null) {
      try {
        handshakeSession.putValue(SESSION_VALUE, enclave);
      } catch (RuntimeException ignored) {
        // A session that keeps no values: verifiedPeer() verifies again.
      }
    }
  }

  private static void checkSelfSigned(X509Certificate certificate)
      throws RaTlsCertificateException {
    if (!certificate.getIssuerX500Principal().equals(certificate.getSubjectX500Principal())) {
      throw new RaTlsCertificateException(Reason.NOT_SELF_SIGNED, "the certificate of "
          + certificate.getSubjectX500Principal().getName() + " is issued by "
          + certificate.getIssuerX500Principal().getName() + ", not self-signed: RA-TLS trusts"
          + " attested evidence only, never a certificate authority");
    }
    try {
      certificate.verify(certificate.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new RaTlsCertificateException(Reason.NOT_SELF_SIGNED, "the certificate's signature"
          + " does not verify with its own key (" + e.getMessage() + "): not self-signed");
    }
  }

  private static void checkCriticalExtensions(X509Certificate certificate)
      throws RaTlsCertificateException {
    Set<String> critical = certificate.getCriticalExtensionOIDs();
    if (critical == null) {
      return;
    }
    for (String oid : critical) {
      if (!KNOWN_CRITICAL.contains(oid)) {
        throw new RaTlsCertificateException(Reason.UNKNOWN_CRITICAL_EXTENSION,
            "the certificate has the unknown critical extension " + oid);
      }
    }
  }

  private static void checkValidity(X509Certificate certificate, Instant at)
      throws RaTlsCertificateException {
    Instant notBefore = certificate.getNotBefore().toInstant();
    Instant notAfter = certificate.getNotAfter().toInstant();
    if (at.isAfter(notAfter)) {
      throw new RaTlsCertificateException(Reason.EXPIRED, "the RA-TLS certificate expired at "
          + notAfter + " (verification time " + at + ")");
    }
    if (at.isBefore(notBefore)) {
      throw new RaTlsCertificateException(Reason.NOT_YET_VALID, "the RA-TLS certificate is not"
          + " valid before " + notBefore + " (verification time " + at + ")");
    }
  }

  private VerifiedEnclave verifyEvidence(X509Certificate certificate, Instant at)
      throws RaTlsCertificateException {
    byte[] evidence = RaTlsCertificates.evidence(certificate);
    VerifiedEnclave enclave;
    try {
      enclave = verifier.verify(evidence, policy, AttestationVerifier.Options.at(at));
    } catch (AttestationException e) {
      throw new RaTlsCertificateException(Reason.EVIDENCE_REFUSED,
          "the peer's evidence is refused (" + e.reason() + "): " + e.getMessage(), e);
    }
    byte[] binding = RaTlsCertificates.keyBinding(certificate.getPublicKey());
    if (!binds(enclave.reportData(), binding)) {
      throw new RaTlsCertificateException(Reason.KEY_NOT_BOUND, "the evidence binds another key"
          + " than the certificate's (report data " + prefix(enclave.reportData()) + "…, key hash "
          + prefix(Bytes.of(binding)) + "…): a certificate replayed from another enclave");
    }
    return enclave;
  }

  /** Report data of exactly the hash, or the hash followed by zeros to a 64-byte field. */
  private static boolean binds(Bytes reportData, byte[] binding) {
    byte[] data = reportData.toByteArray();
    if (data.length == binding.length) {
      return java.security.MessageDigest.isEqual(data, binding);
    }
    if (data.length != 64) {
      return false;
    }
    boolean zeros = true;
    for (int i = binding.length; i < data.length; i++) {
      zeros &= data[i] == 0;
    }
    return zeros && java.security.MessageDigest.isEqual(
        Arrays.copyOf(data, binding.length), binding);
  }

  private void checkAge(VerifiedEnclave enclave, Instant at) throws RaTlsCertificateException {
    if (enclave.issuedAt().isEmpty()) {
      throw new RaTlsCertificateException(Reason.EVIDENCE_TOO_OLD, "the " + enclave.format()
          + " evidence carries no issue time, so its age cannot be checked");
    }
    Instant issued = enclave.issuedAt().get();
    if (issued.plus(maxEvidenceAge).isBefore(at)) {
      throw new RaTlsCertificateException(Reason.EVIDENCE_TOO_OLD, "the evidence was issued at "
          + issued + ", more than the maximum age " + maxEvidenceAge + " before " + at);
    }
  }

  private static String prefix(Bytes bytes) {
    String hex = bytes.hex();
    return hex.substring(0, Math.min(16, hex.length()));
  }

  /** Builds a trust manager; validates each setting at once. Not thread-safe. */
  public static final class Builder {
    private final AttestationPolicy policy;
    private AttestationVerifier verifier;
    private Clock clock = Clock.systemUTC();
    private Duration maxEvidenceAge = DEFAULT_MAX_EVIDENCE_AGE;

    private Builder(AttestationPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      if (policy.nonce().isPresent()) {
        throw new IllegalArgumentException("an RA-TLS policy cannot require a nonce: the"
            + " certificate answers no verifier's challenge (freshness is its maximum age)");
      }
      if (policy.reportData().isPresent()) {
        throw new IllegalArgumentException("an RA-TLS policy cannot fix the report data: it is"
            + " the hash of the certificate's key, checked by the trust manager");
      }
    }

    /** The evidence verifier (default: {@link AttestationVerifier#create()}). */
    public Builder verifier(AttestationVerifier verifier) {
      this.verifier = Objects.requireNonNull(verifier, "verifier");
      return this;
    }

    /** The clock that gives the verification time (tests move it). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The oldest evidence accepted, 1 second to 30 days (default 1 hour). */
    public Builder maxEvidenceAge(Duration age) {
      if (age.compareTo(Duration.ofSeconds(1)) < 0 || age.compareTo(Duration.ofDays(30)) > 0) {
        throw new IllegalArgumentException("the maximum evidence age must be 1 s to 30 days, got "
            + age);
      }
      this.maxEvidenceAge = age;
      return this;
    }

    public RaTlsTrustManager build() {
      return new RaTlsTrustManager(this);
    }
  }
}
