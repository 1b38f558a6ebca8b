package dev.cella.attestation.hardware.internal;

import dev.cella.attestation.AttestationException;
import dev.cella.attestation.AttestationException.Reason;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Builds and checks a certificate path from a leaf to a trusted root: each issuer is found by
 * name among the roots and the supplied certificates and accepted only if its key verifies the
 * signature; the path ends at the first certificate whose key is trusted. Then every
 * certificate's window is checked at the verification time and every issuer must be a CA.
 *
 * <p>Stateless and thread-safe.
 */
public final class ChainBuilder {
  private static final int MAX_DEPTH = 8;

  private ChainBuilder() {}

  /**
   * The path {@code leaf, ..., anchor} (the anchor is the trusted root instance).
   *
   * @param role what the leaf is, for messages ("PCK", "VCEK", "TCB signing")
   */
  public static List<X509Certificate> build(X509Certificate leaf, String role,
      Collection<X509Certificate> pool, TrustedRoots roots, Instant at)
      throws AttestationException {
    List<X509Certificate> path = new ArrayList<>();
    X509Certificate current = leaf;
    path.add(leaf);
    for (int depth = 0; depth < MAX_DEPTH; depth++) {
      Optional<X509Certificate> anchor = roots.anchorFor(current);
      if (anchor.isPresent()) {
        path.set(path.size() - 1, anchor.get());
        check(path, role, at);
        return List.copyOf(path);
      }
      if (isSelfSigned(current)) {
        throw untrusted(current, role, roots);
      }
      X509Certificate issuer = findIssuer(current, pool, roots);
      path.add(issuer);
      current = issuer;
    }
    throw new AttestationException(Reason.BROKEN_CHAIN,
        role + " certificate chain is longer than " + MAX_DEPTH + " certificates");
  }

  private static X509Certificate findIssuer(X509Certificate cert, Collection<X509Certificate> pool,
      TrustedRoots roots) throws AttestationException {
    List<X509Certificate> candidates = new ArrayList<>(roots.all());
    candidates.addAll(pool);
    int named = 0;
    for (X509Certificate candidate : candidates) {
      if (!candidate.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
        continue;
      }
      named++;
      if (SignatureChecks.certificate(cert, candidate.getPublicKey())) {
        return candidate;
      }
    }
    String issuer = cert.getIssuerX500Principal().getName();
    if (named == 0) {
      throw new AttestationException(Reason.BROKEN_CHAIN, "no certificate '" + issuer
          + "' (issuer of '" + Certificates.name(cert)
          + "') in the evidence, the collateral or the trusted roots");
    }
    throw new AttestationException(Reason.BAD_SIGNATURE, "the signature of '"
        + Certificates.name(cert) + "' does not verify under any of the " + named
        + " certificate(s) named '" + issuer + "'");
  }

  private static AttestationException untrusted(X509Certificate root, String role,
      TrustedRoots roots) {
    boolean sameName = roots.all().stream().anyMatch(
        r -> r.getSubjectX500Principal().equals(root.getSubjectX500Principal()));
    return new AttestationException(Reason.UNTRUSTED_ROOT, role + " chain ends at self-signed '"
        + Certificates.name(root) + "' with key sha256 " + Certificates.spkiSha256(root)
        + ", which is not a trusted root"
        + (sameName ? " (a trusted root has this name but another key)" : ""));
  }

  private static boolean isSelfSigned(X509Certificate cert) {
    return cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal())
        && SignatureChecks.certificate(cert, cert.getPublicKey());
  }

  /** Windows at {@code at}, CA flags and path lengths of an ordered path leaf first. */
  public static void check(List<X509Certificate> path, String role, Instant at)
      throws AttestationException {
    for (int i = 0; i < path.size(); i++) {
      X509Certificate cert = path.get(i);
      Validity.certificate(cert, i == 0 ? role : role + " chain issuer", at);
      if (i == 0) {
        continue;
      }
      int pathLen = cert.getBasicConstraints();
      if (pathLen < 0) {
        throw new AttestationException(Reason.BROKEN_CHAIN, "'" + Certificates.name(cert)
            + "' issues '" + Certificates.name(path.get(i - 1)) + "' but is not a CA");
      }
      if (i - 1 > pathLen) {
        throw new AttestationException(Reason.BROKEN_CHAIN, "'" + Certificates.name(cert)
            + "' allows " + pathLen + " intermediate CA(s) below it, the chain has " + (i - 1));
      }
      boolean[] usage = cert.getKeyUsage();
      if (usage != null && (usage.length <= 5 || !usage[5])) {
        throw new AttestationException(Reason.BROKEN_CHAIN, "'" + Certificates.name(cert)
            + "' issues certificates but its key usage lacks keyCertSign");
      }
    }
  }
}
