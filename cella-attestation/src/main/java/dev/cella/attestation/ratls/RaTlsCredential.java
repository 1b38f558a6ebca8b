package dev.cella.attestation.ratls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;

/**
 * An RA-TLS certificate and its private key, made by {@link RaTlsCertificates#create}. The key
 * never leaves this object except to this package's key manager, which hands it to the TLS stack
 * in the same enclave.
 *
 * <p>No {@code equals}, {@code hashCode} or {@code toString} that could show the key. The JDK
 * cannot destroy EC private keys; a credential becomes unreachable when its provider renews it.
 *
 * <p>Immutable and thread-safe.
 */
public final class RaTlsCredential {
  private final X509Certificate certificate;
  private final PrivateKey privateKey;
  private final String alias;

  RaTlsCredential(X509Certificate certificate, PrivateKey privateKey) {
    this.certificate = certificate;
    this.privateKey = privateKey;
    this.alias = "cella-ratls-" + HexFormat.of().formatHex(certificate.getSerialNumber().toByteArray());
  }

  /** The self-signed certificate carrying the evidence. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** When the certificate expires. */
  public Instant notAfter() {
    return certificate.getNotAfter().toInstant();
  }

  /** The key manager's name for this credential. */
  String alias() {
    return alias;
  }

  /** The private key, for this package's key manager only. */
  PrivateKey privateKey() {
    return privateKey;
  }
}
