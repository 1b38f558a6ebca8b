package dev.cella.attestation.platform.internal;

import dev.cella.PlatformKind;
import dev.cella.attestation.internal.PlatformCertificates;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes a software platform's keys and certificates: ECDSA P-384 key pairs, the self-signed root
 * (CA, path length 0, keyCertSign and cRLSign) and the attestation certificate it issues
 * (end-entity, digitalSignature), both signed with SHA384withECDSA, subjects per {@link
 * PlatformCertificates}. Uses the JDK's providers for keys and signatures and Bouncy Castle only
 * to assemble the certificates.
 *
 * <p>Thread-safe (stateless).
 */
public final class CertificateIssuer {
  private static final SecureRandom RANDOM = new SecureRandom();

  private CertificateIssuer() {}

  /** A fresh ECDSA P-384 key pair. */
  public static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp384r1"), RANDOM);
    return generator.generateKeyPair();
  }

  /** The self-signed root certificate of {@code kind}'s platform. */
  public static X509Certificate root(
      PlatformKind kind, KeyPair pair, Instant notBefore, Instant notAfter)
      throws GeneralSecurityException {
    return root(PlatformCertificates.rootSubject(kind), pair, notBefore, notAfter);
  }

  /** A self-signed CA certificate with any subject (tests use it for foreign roots). */
  public static X509Certificate root(
      X500Principal subject, KeyPair pair, Instant notBefore, Instant notAfter)
      throws GeneralSecurityException {
    JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
        Date.from(notBefore), Date.from(notAfter), subject, pair.getPublic());
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      builder.addExtension(Extension.keyUsage, true,
          new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(Extension.subjectKeyIdentifier, false,
          utils.createSubjectKeyIdentifier(pair.getPublic()));
    } catch (CertIOException e) {
      throw new GeneralSecurityException("cannot encode root extensions", e);
    }
    return sign(builder, pair.getPrivate());
  }

  /** The attestation certificate for {@code leafKey}, issued by {@code root}. */
  public static X509Certificate attestation(
      PlatformKind kind, PublicKey leafKey, X509Certificate root, PrivateKey rootKey,
      Instant notBefore, Instant notAfter) throws GeneralSecurityException {
    return leaf(PlatformCertificates.attestationSubject(kind), leafKey, root, rootKey,
        notBefore, notAfter);
  }

  /** An end-entity signing certificate with any subject, issued by {@code root}. */
  public static X509Certificate leaf(
      X500Principal subject, PublicKey leafKey, X509Certificate root, PrivateKey rootKey,
      Instant notBefore, Instant notAfter) throws GeneralSecurityException {
    JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
        root.getSubjectX500Principal(), serial(), Date.from(notBefore), Date.from(notAfter),
        subject, leafKey);
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(Extension.subjectKeyIdentifier, false,
          utils.createSubjectKeyIdentifier(leafKey));
      builder.addExtension(Extension.authorityKeyIdentifier, false,
          utils.createAuthorityKeyIdentifier(root));
    } catch (CertIOException e) {
      throw new GeneralSecurityException("cannot encode leaf extensions", e);
    }
    return sign(builder, rootKey);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder("SHA384withECDSA").build(key)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot sign certificate", e);
    }
  }

  private static BigInteger serial() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    bytes[0] &= 0x7F; // positive, at most 16 octets
    bytes[0] |= 0x01; // and never zero
    return new BigInteger(1, bytes);
  }
}
