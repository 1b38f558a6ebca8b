package dev.cella.attestation.hardware.internal;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Test certificates made on the spot (never used outside tests). */
public final class TestPki {
  private static final AtomicLong SERIAL = new AtomicLong(1000);

  private TestPki() {}

  /** A certificate and its private key. */
  public record Issued(X509Certificate cert, PrivateKey key) {
    public PublicKey publicKey() {
      return cert.getPublicKey();
    }
  }

  public static KeyPair ec(String curve) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec(curve));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A self-signed CA named {@code subject} with a fresh key on {@code curve}. */
  public static Issued root(String subject, String curve, Instant from, Instant to) {
    KeyPair kp = ec(curve);
    return new Issued(build(new X500Name(subject), kp.getPublic(), new X500Name(subject),
        kp.getPrivate(), from, to, true), kp.getPrivate());
  }

  /** A certificate for a fresh key on {@code curve}, issued by {@code issuer}. */
  public static Issued issue(Issued issuer, String subject, String curve, Instant from,
      Instant to, boolean ca) {
    KeyPair kp = ec(curve);
    return new Issued(build(new X500Name(subject), kp.getPublic(),
        X500Name.getInstance(issuer.cert().getSubjectX500Principal().getEncoded()), issuer.key(),
        from, to, ca), kp.getPrivate());
  }

  public static X509Certificate build(X500Name subject, PublicKey key, X500Name issuer,
      PrivateKey issuerKey, Instant from, Instant to, boolean ca) {
    try {
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer,
          BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(from), Date.from(to),
          subject, key);
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      if (ca) {
        b.addExtension(Extension.keyUsage, true,
            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      }
      String alg = issuerKey.getAlgorithm().equals("EC") ? "SHA384withECDSA" : "SHA256withRSA";
      return new JcaX509CertificateConverter().getCertificate(
          b.build(new JcaContentSignerBuilder(alg).build(issuerKey)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
