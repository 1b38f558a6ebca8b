package dev.cella.attestation.hardware.internal;

import dev.cella.attestation.AttestationException;
import dev.cella.attestation.AttestationException.Reason;
import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * Validity-window checks at the verification time, with messages that name the window. Stateless
 * and thread-safe.
 */
public final class Validity {
  private Validity() {}

  /** A certificate is valid for {@code notBefore <= at <= notAfter} (RFC 5280, inclusive). */
  public static void certificate(X509Certificate cert, String role, Instant at)
      throws AttestationException {
    Instant from = cert.getNotBefore().toInstant();
    Instant to = cert.getNotAfter().toInstant();
    if (at.isBefore(from) || at.isAfter(to)) {
      String state = at.isBefore(from) ? "is not yet valid" : "has expired";
      throw new AttestationException(Reason.EXPIRED, role + " certificate '"
          + Certificates.name(cert) + "' " + state + ": valid " + from + " to " + to
          + ", verification time " + at);
    }
  }

  /** Collateral is valid for {@code from <= at < until} (issueDate/thisUpdate to nextUpdate). */
  public static void window(String what, Instant from, Instant until, Instant at)
      throws AttestationException {
    if (at.isBefore(from) || !at.isBefore(until)) {
      throw new AttestationException(Reason.EXPIRED, what + " "
          + (at.isBefore(from) ? "is not yet valid" : "has expired") + ": valid from " + from
          + " until " + until + ", verification time " + at);
    }
  }

  /** Whether {@code from <= at < until}. */
  public static boolean contains(Instant from, Instant until, Instant at) {
    return !at.isBefore(from) && at.isBefore(until);
  }
}
