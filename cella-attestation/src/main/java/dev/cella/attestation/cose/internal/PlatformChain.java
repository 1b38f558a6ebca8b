package dev.cella.attestation.cose.internal;

import dev.cella.PlatformKind;
import dev.cella.attestation.AttestationException;
import dev.cella.attestation.AttestationException.Reason;
import dev.cella.attestation.internal.PlatformCertificates;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * Validates a software platform's chain {@code [leaf, root]} for cella-cose: the root is
 * byte-for-byte one of the trusted roots and a Cella software platform root, the root is a CA,
 * the leaf is an end-entity certificate issued and signed by the root with an ECDSA P-384 key,
 * neither has a critical extension other than basic constraints and key usage, and both are
 * within their validity windows at the verification time.
 *
 * <p>Thread-safe (stateless).
 */
public final class PlatformChain {
  private static final String BASIC_CONSTRAINTS = "2.5.29.19";
  private static final String KEY_USAGE = "2.5.29.15";
  private static final Set<String> UNDERSTOOD_CRITICAL = Set.of(BASIC_CONSTRAINTS, KEY_USAGE);
  private static final int DIGITAL_SIGNATURE = 0;
  private static final int KEY_CERT_SIGN = 5;

  private PlatformChain() {}

  /** A validated chain: the leaf (whose key signs evidence) and the platform kind of its root. */
  public record Validated(X509Certificate leaf, X509Certificate root, PlatformKind kind) {}

  /** Parses the DER certificates of x5chain; anything but exact DER is malformed. */
  public static List<X509Certificate> parse(List<byte[]> x5chain) throws AttestationException {
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      X509Certificate[] certificates = new X509Certificate[x5chain.size()];
      for (int i = 0; i < certificates.length; i++) {
        byte[] der = x5chain.get(i);
        try {
          certificates[i] =
              (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | ClassCastException e) {
          throw new AttestationException(Reason.MALFORMED,
              "cella-cose: x5chain[" + i + "] is not an X.509 certificate: " + e.getMessage(), e);
        }
        if (!Arrays.equals(certificates[i].getEncoded(), der)) {
          throw new AttestationException(Reason.MALFORMED,
              "cella-cose: x5chain[" + i + "] is not exactly one DER certificate");
        }
      }
      return List.of(certificates);
    } catch (CertificateException e) {
      throw new IllegalStateException("the JDK lacks X.509 support", e);
    }
  }

  /** Validates {@code [leaf, root]} against {@code trustedRoots} at {@code at}. */
  public static Validated validate(
      List<X509Certificate> chain, List<X509Certificate> trustedRoots, Instant at)
      throws AttestationException {
    X509Certificate leaf = chain.get(0);
    X509Certificate root = chain.get(1);
    if (!trustedRoots.contains(root)) {
      throw new AttestationException(Reason.UNTRUSTED_ROOT,
          "cella-cose: platform root " + PlatformCertificates.describe(root)
              + " is not trusted by the policy (software platforms have no default roots; trust"
              + " it with root=PEM-FILE or AttestationPolicy.Builder.trustSoftwarePlatform)");
    }
    PlatformKind kind = PlatformCertificates.rootKindOf(root).orElseThrow(() ->
        new AttestationException(Reason.UNTRUSTED_ROOT, "cella-cose: trusted root "
            + PlatformCertificates.describe(root) + " is not a Cella software platform root"));
    if (root.getBasicConstraints() < 0 || !hasUsage(root, KEY_CERT_SIGN)) {
      throw broken("root " + PlatformCertificates.describe(root) + " is not a CA certificate");
    }
    if (!leaf.getIssuerX500Principal().equals(root.getSubjectX500Principal())) {
      throw broken("leaf issuer '" + leaf.getIssuerX500Principal().getName()
          + "' is not the root's subject");
    }
    if (leaf.getBasicConstraints() >= 0 || !hasUsage(leaf, DIGITAL_SIGNATURE)) {
      throw broken("leaf '" + leaf.getSubjectX500Principal().getName()
          + "' is not an end-entity signing certificate");
    }
    for (X509Certificate certificate : chain) {
      Set<String> critical = certificate.getCriticalExtensionOIDs();
      if (critical != null && !UNDERSTOOD_CRITICAL.containsAll(critical)) {
        throw broken("certificate '" + certificate.getSubjectX500Principal().getName()
            + "' has unknown critical extensions " + critical);
      }
    }
    if (!Es384.isP384(leaf.getPublicKey())) {
      throw broken("leaf key is not ECDSA P-384");
    }
    try {
      leaf.verify(root.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new AttestationException(Reason.BAD_SIGNATURE,
          "cella-cose: leaf certificate's signature does not verify with the key of root "
              + PlatformCertificates.describe(root), e);
    }
    checkValidity("root", root, at);
    checkValidity("leaf", leaf, at);
    return new Validated(leaf, root, kind);
  }

  private static boolean hasUsage(X509Certificate certificate, int bit) {
    boolean[] usage = certificate.getKeyUsage();
    return usage == null || (usage.length > bit && usage[bit]);
  }

  private static void checkValidity(String which, X509Certificate certificate, Instant at)
      throws AttestationException {
    try {
      certificate.checkValidity(Date.from(at));
    } catch (CertificateExpiredException e) {
      throw new AttestationException(Reason.EXPIRED, "cella-cose: " + which + " certificate '"
          + certificate.getSubjectX500Principal().getName() + "' expired at "
          + certificate.getNotAfter().toInstant() + " (verification time " + at + ")", e);
    } catch (CertificateNotYetValidException e) {
      throw new AttestationException(Reason.EXPIRED, "cella-cose: " + which + " certificate '"
          + certificate.getSubjectX500Principal().getName() + "' is not valid before "
          + certificate.getNotBefore().toInstant() + " (verification time " + at + ")", e);
    }
  }

  private static AttestationException broken(String what) {
    return new AttestationException(Reason.BROKEN_CHAIN, "cella-cose: " + what);
  }
}
