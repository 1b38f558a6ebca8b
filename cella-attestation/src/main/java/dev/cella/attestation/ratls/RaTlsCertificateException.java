package dev.cella.attestation.ratls;

import dev.cella.attestation.AttestationException;
import java.security.cert.CertificateException;
import java.util.Objects;
import java.util.Optional;

/**
 * A peer's certificate was refused by {@link RaTlsTrustManager}. The {@link #reason()} says which
 * check failed, the message says exactly what; when the evidence itself was refused, {@link
 * #attestationFailure()} holds the verifier's refusal (also the cause).
 *
 * <p>Immutable and thread-safe.
 */
public final class RaTlsCertificateException extends CertificateException {
  private static final long serialVersionUID = 1L;

  /** Which check refused the certificate, in the order the trust manager makes them. */
  public enum Reason {
    /** No certificate, or a chain of several: RA-TLS certificates stand alone, never chained. */
    NOT_A_SINGLE_CERTIFICATE,
    /** The certificate is not self-signed (e.g. a CA issued it: CA trust is never used). */
    NOT_SELF_SIGNED,
    /** The certificate has a critical extension the trust manager does not know. */
    UNKNOWN_CRITICAL_EXTENSION,
    /** The verification time is after the certificate's notAfter. */
    EXPIRED,
    /** The verification time is before the certificate's notBefore. */
    NOT_YET_VALID,
    /** The certificate carries no evidence extension: it is not an RA-TLS certificate. */
    NO_EVIDENCE,
    /** The evidence extension is present but malformed (message gives the offset). */
    MALFORMED_EXTENSION,
    /** The evidence failed verification or the policy; see {@link #attestationFailure()}. */
    EVIDENCE_REFUSED,
    /** The evidence binds another key than the certificate's: a replayed certificate. */
    KEY_NOT_BOUND,
    /** The evidence is older than the trust manager's maximum age, or carries no time. */
    EVIDENCE_TOO_OLD
  }

  private final Reason reason;

  public RaTlsCertificateException(Reason reason, String message) {
    this(reason, message, null);
  }

  public RaTlsCertificateException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** Which check refused the certificate. */
  public Reason reason() {
    return reason;
  }

  /** The evidence verifier's refusal, when the reason is {@link Reason#EVIDENCE_REFUSED}. */
  public Optional<AttestationException> attestationFailure() {
    return getCause() instanceof AttestationException e ? Optional.of(e) : Optional.empty();
  }

  @Override
  public String toString() {
    return "RaTlsCertificateException[" + reason + "]: " + getMessage();
  }
}
