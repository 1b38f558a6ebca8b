package dev.cella.attestation.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Objects;

/**
 * Reads and checks the root certificates a policy trusts: exactly one certificate per file (PEM
 * or DER), and it must be a validly self-signed CA certificate.
 *
 * <p>Thread-safe (stateless).
 */
public final class RootFiles {
  private RootFiles() {}

  /** {@code root} if it is a validly self-signed CA certificate; {@code where} names it. */
  public static X509Certificate checkedRoot(X509Certificate root, String where) {
    Objects.requireNonNull(root, "root");
    if (root.getBasicConstraints() < 0
        || !root.getSubjectX500Principal().equals(root.getIssuerX500Principal())) {
      throw new IllegalArgumentException(where + ": " + PlatformCertificates.describe(root)
          + " is not a self-signed CA certificate");
    }
    try {
      root.verify(root.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(where + ": " + PlatformCertificates.describe(root)
          + " is not validly self-signed", e);
    }
    return root;
  }

  /** The only certificate in {@code file}. */
  public static X509Certificate readOne(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      Collection<? extends Certificate> all =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (all.size() != 1 || !(all.iterator().next() instanceof X509Certificate certificate)) {
        throw new IllegalArgumentException(
            file + " holds " + all.size() + " certificates; a root file holds exactly one");
      }
      return certificate;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read root file " + file + ": " + e, e);
    } catch (CertificateException e) {
      throw new IllegalArgumentException(
          file + " is not a PEM or DER certificate: " + e.getMessage(), e);
    }
  }
}
