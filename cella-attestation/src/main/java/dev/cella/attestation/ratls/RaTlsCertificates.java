package dev.cella.attestation.ratls;

import dev.cella.attestation.ratls.RaTlsCertificateException.Reason;
import dev.cella.attestation.ratls.internal.Cmw;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Makes and reads RA-TLS certificates: a fresh ECDSA P-384 key, evidence from the enclave's
 * platform whose report data is the SHA-384 of the key's SubjectPublicKeyInfo, and a self-signed
 * X.509 certificate carrying that evidence in the non-critical {@code id-pe-cmw} extension
 * ({@value #EVIDENCE_EXTENSION_OID}) as a CBOR Conceptual Messages Wrapper record. See
 * docs/channels.md for the exact format.
 *
 * <p>Example: {@code RaTlsCredential c = RaTlsCertificates.create(context, Instant.now(),
 * Duration.ofHours(1));}. Most code uses {@link RaTlsCertificateProvider}, which renews.
 *
 * <p>Stateless and thread-safe. Keys and signatures use the JDK's providers; Bouncy Castle only
 * assembles the certificate (no provider is registered).
 */
public final class RaTlsCertificates {
  /** The extension's OID: {@code id-pe-cmw}, the PKIX extension for RATS conceptual messages. */
  public static final String EVIDENCE_EXTENSION_OID = "1.3.6.1.5.5.7.1.35";
  /** The media type of the wrapped evidence. */
  public static final String MEDIA_TYPE = Cmw.MEDIA_TYPE;
  /** How far before its making a certificate is valid, for peers whose clocks lag. */
  public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
  /** The certificate's subject (and issuer): it names the format, never a host. */
  public static final X500Principal SUBJECT = new X500Principal("CN=Cella RA-TLS, O=Cella");

  private static final ASN1ObjectIdentifier OID = new ASN1ObjectIdentifier(EVIDENCE_EXTENSION_OID);
  private static final SecureRandom RANDOM = new SecureRandom();

  private RaTlsCertificates() {}

  /**
   * A fresh key and its certificate, valid from {@code now} minus {@link #CLOCK_SKEW} to {@code
   * now + validity}, carrying evidence from {@code source} (empty nonce, report data = {@link
   * #keyBinding}).
   *
   * @throws GeneralSecurityException if the key or certificate cannot be made
   * @throws dev.cella.EnclaveException if the platform gives no evidence
   */
  public static RaTlsCredential create(EvidenceSource source, Instant now, Duration validity)
      throws GeneralSecurityException {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(now, "now");
    if (validity.isNegative() || validity.isZero()) {
      throw new IllegalArgumentException("validity must be positive, got " + validity);
    }
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp384r1"), RANDOM);
    KeyPair pair = generator.generateKeyPair();
    byte[] evidence = source.evidence(new byte[0], keyBinding(pair.getPublic()));
    if (evidence == null || evidence.length == 0) {
      throw new GeneralSecurityException("the platform gave no evidence");
    }
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(SUBJECT, serial(),
        Date.from(now.minus(CLOCK_SKEW)), Date.from(now.plus(validity)), SUBJECT,
        pair.getPublic());
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(OID, false, new DEROctetString(Cmw.encode(evidence)));
      X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder("SHA384withECDSA").build(pair.getPrivate())));
      return new RaTlsCredential(certificate, pair.getPrivate());
    } catch (IOException | OperatorCreationException e) {
      throw new GeneralSecurityException("cannot assemble the RA-TLS certificate: " + e, e);
    }
  }

  /** The SHA-384 of {@code key}'s SubjectPublicKeyInfo: the report data an RA-TLS key binds. */
  public static byte[] keyBinding(PublicKey key) {
    try {
      return MessageDigest.getInstance("SHA-384").digest(key.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no SHA-384", e);
    }
  }

  /**
   * The evidence {@code certificate} carries, unverified.
   *
   * @throws RaTlsCertificateException {@code NO_EVIDENCE} without the extension, {@code
   *     MALFORMED_EXTENSION} if it is not exactly the documented form
   */
  public static byte[] evidence(X509Certificate certificate) throws RaTlsCertificateException {
    byte[] extension = certificate.getExtensionValue(EVIDENCE_EXTENSION_OID);
    if (extension == null) {
      throw new RaTlsCertificateException(Reason.NO_EVIDENCE, "the certificate of "
          + certificate.getSubjectX500Principal().getName() + " carries no evidence (no "
          + EVIDENCE_EXTENSION_OID + " extension): it is not an RA-TLS certificate");
    }
    try {
      byte[] cmwChoice = octets(extension, "extnValue");
      byte[] record = octets(cmwChoice, "the CMW (only its CBOR choice, an OCTET STRING)");
      return Cmw.decode(record);
    } catch (Cmw.MalformedException e) {
      throw new RaTlsCertificateException(Reason.MALFORMED_EXTENSION,
          "the evidence extension is malformed: " + e.getMessage());
    }
  }

  private static byte[] octets(byte[] der, String what) throws Cmw.MalformedException {
    try {
      ASN1Primitive parsed = ASN1Primitive.fromByteArray(der);
      if (!(parsed instanceof ASN1OctetString octets)) {
        throw new Cmw.MalformedException(what + " is not an OCTET STRING");
      }
      if (!java.util.Arrays.equals(parsed.getEncoded("DER"), der)) {
        throw new Cmw.MalformedException(what + " is not DER-encoded");
      }
      return octets.getOctets();
    } catch (IOException | RuntimeException e) {
      throw new Cmw.MalformedException(what + " is not valid DER (" + e.getMessage() + ")");
    }
  }

  private static BigInteger serial() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    bytes[0] &= 0x7F;
    bytes[0] |= 0x01;
    return new BigInteger(1, bytes);
  }
}
