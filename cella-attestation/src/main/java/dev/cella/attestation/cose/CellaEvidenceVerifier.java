package dev.cella.attestation.cose;

import dev.cella.attestation.AttestationException;
import dev.cella.attestation.AttestationException.Reason;
import dev.cella.attestation.EvidenceVerifier;
import dev.cella.attestation.VerificationContext;
import dev.cella.attestation.VerifiedEnclave;
import dev.cella.attestation.cose.internal.CoseSign1;
import dev.cella.attestation.cose.internal.Es384;
import dev.cella.attestation.cose.internal.EvidenceClaims;
import dev.cella.attestation.cose.internal.PlatformChain;
import java.security.InvalidKeyException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies "cella-cose" evidence, the COSE_Sign1 / ES384 evidence of Cella's software platforms
 * (sim, process, vm; see {@code docs/evidence-format.md}). In order: strict decoding (MALFORMED,
 * or UNSUPPORTED_FORMAT for another profile); the root of the chain must be byte-for-byte one of
 * {@link VerificationContext#extraRoots()} (software platforms have no default roots:
 * UNTRUSTED_ROOT otherwise, naming the root's subject and SHA-256 fingerprint) and a Cella
 * platform root; the chain leaf → root (BROKEN_CHAIN, BAD_SIGNATURE, EXPIRED at {@link
 * VerificationContext#at()}); the COSE signature with the leaf's key (BAD_SIGNATURE); the
 * evidence's platform must be the root's (UNTRUSTED_ROOT); issued-at no later than the
 * verification time plus the allowed clock skew (NOT_YET_VALID).
 *
 * <p>Sim evidence verifies here like any other once its root is trusted, and reports platform
 * {@code sim} with security level {@code none}; {@code AttestationVerifier} refuses it unless
 * the policy says {@code insecure=accept-simulated}.
 *
 * <p>Example: {@code new CellaEvidenceVerifier().verify(bytes, new VerificationContext(now,
 * List.of(processRoot), false, Optional.empty()))}.
 *
 * <p>Thread-safe (immutable).
 */
public final class CellaEvidenceVerifier implements EvidenceVerifier {
  /** How far in the future of the verification time issued-at may be by default. */
  public static final Duration DEFAULT_ALLOWED_SKEW = Duration.ofMinutes(5);

  private final Duration allowedSkew;

  /** A verifier allowing {@link #DEFAULT_ALLOWED_SKEW}; the constructor ServiceLoader uses. */
  public CellaEvidenceVerifier() {
    this(DEFAULT_ALLOWED_SKEW);
  }

  /** A verifier allowing issued-at up to {@code allowedSkew} after the verification time. */
  public CellaEvidenceVerifier(Duration allowedSkew) {
    Objects.requireNonNull(allowedSkew, "allowedSkew");
    if (allowedSkew.isNegative()) {
      throw new IllegalArgumentException("allowed skew must not be negative, got " + allowedSkew);
    }
    this.allowedSkew = allowedSkew;
  }

  @Override
  public String format() {
    return CellaEvidence.FORMAT;
  }

  @Override
  public boolean recognizes(byte[] evidence) {
    return CoseSign1.looksLike(evidence);
  }

  @Override
  public VerifiedEnclave verify(byte[] evidence, VerificationContext context)
      throws AttestationException {
    Objects.requireNonNull(context, "context");
    CoseSign1.Decoded decoded = CoseSign1.decode(evidence);
    EvidenceClaims claims = EvidenceClaims.fromCbor(decoded.payloadMap(), decoded.payloadOffset());
    List<X509Certificate> chain = PlatformChain.parse(decoded.x5chain());
    PlatformChain.Validated validated =
        PlatformChain.validate(chain, context.extraRoots(), context.at());
    boolean signatureOk;
    try {
      signatureOk = Es384.verify(
          validated.leaf().getPublicKey(), decoded.toBeSigned(), decoded.signature());
    } catch (InvalidKeyException e) {
      throw new AttestationException(Reason.BROKEN_CHAIN, "cella-cose: leaf key unusable", e);
    }
    if (!signatureOk) {
      throw new AttestationException(Reason.BAD_SIGNATURE,
          "cella-cose: COSE_Sign1 signature does not verify with the leaf certificate's key");
    }
    if (claims.platform() != validated.kind()) {
      throw new AttestationException(Reason.UNTRUSTED_ROOT, "cella-cose: evidence states platform "
          + claims.platform().id() + " but its root is the " + validated.kind().id()
          + " platform's; a root vouches only for its own platform");
    }
    Instant issuedAt = Instant.ofEpochSecond(claims.issuedAt());
    if (issuedAt.isAfter(context.at().plus(allowedSkew))) {
      throw new AttestationException(Reason.NOT_YET_VALID, "cella-cose: evidence issued at "
          + issuedAt + ", more than " + allowedSkew + " after the verification time "
          + context.at());
    }
    return new VerifiedEnclave(CellaEvidence.FORMAT, claims.platform(), claims.securityLevel(),
        claims.measurement(), Optional.of(claims.signer()), claims.productId(), claims.svn(),
        claims.debug(), claims.reportData(), Optional.of(claims.nonce()), Optional.of(issuedAt),
        Optional.empty(), claims.runtimeClaims());
  }

  /** Only the format's name, for logs. */
  @Override
  public String toString() {
    return "CellaEvidenceVerifier[" + CellaEvidence.FORMAT + ", skew " + allowedSkew + "]";
  }
}
