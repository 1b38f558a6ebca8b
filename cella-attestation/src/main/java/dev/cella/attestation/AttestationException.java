package dev.cella.attestation;

import java.security.GeneralSecurityException;
import java.util.Objects;

/**
 * Evidence was refused: it is malformed, its signature or chain does not verify, something in it
 * has expired, or it does not satisfy the policy. The {@link #reason()} says which, the message
 * says exactly what (which field, which certificate, which window, which offset).
 *
 * <p>Immutable and thread-safe.
 */
public final class AttestationException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;

  /** Why evidence was refused; stable, for programs that react to it. */
  public enum Reason {
    /** The bytes are not well-formed evidence of the detected format (the message gives the offset). */
    MALFORMED,
    /** The format or its version is not one this verifier knows. */
    UNSUPPORTED_FORMAT,
    /** A signature over the evidence or a certificate does not verify. */
    BAD_SIGNATURE,
    /** The certificate chain does not chain to a trusted root. */
    UNTRUSTED_ROOT,
    /** The chain is broken (wrong issuer, missing certificate, bad extension). */
    BROKEN_CHAIN,
    /** A certificate or collateral is outside its validity window at the verification time. */
    EXPIRED,
    /** Evidence claims a time too far in the future. */
    NOT_YET_VALID,
    /** A certificate or TCB is revoked. */
    REVOKED,
    /** Collateral needed to verify is missing. */
    MISSING_COLLATERAL,
    /** The platform's TCB level is not one the policy accepts, or no TCB level matches. */
    TCB_NOT_ACCEPTED,
    /** Nonce, report data or user data differ from what the policy expects. */
    BINDING_MISMATCH,
    /** The identity (measurement, signer, product, SVN, debug, platform) is not what the policy accepts. */
    POLICY_VIOLATION
  }

  private final Reason reason;

  public AttestationException(Reason reason, String message) {
    this(reason, message, null);
  }

  public AttestationException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** Why the evidence was refused. */
  public Reason reason() {
    return reason;
  }

  @Override
  public String toString() {
    return "AttestationException[" + reason + "]: " + getMessage();
  }
}
