package dev.cella.attestation.ratls;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.cella.attestation.ratls.internal.Cmw;
import dev.cella.testkit.AllocationBudget;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Fuzz targets for the RA-TLS certificate extension: the CMW record decoder ({@link Cmw#decode},
 * only {@link Cmw.MalformedException}, and what it accepts is exactly the record {@link
 * Cmw#encode} writes) and the X.509 extension reader ({@link RaTlsCertificates#evidence}, only
 * {@link RaTlsCertificateException}) on a certificate whose evidence extension's value is the
 * input.
 */
class RaTlsFuzzTest {
  private static final Signing SIGNING = Signing.create();

  @FuzzTest
  void cmw_anyRecord_decodesExactlyOrMalformedException(byte[] record) throws Exception {
    AllocationBudget.check(AllocationBudget.ALLOWANCE + 64L * record.length, () -> {
      byte[] evidence;
      try {
        evidence = Cmw.decode(record);
      } catch (Cmw.MalformedException refused) {
        return;
      }
      assertThat(Cmw.encode(evidence)).as("the one encoding of its evidence").isEqualTo(record);
    });
  }

  @FuzzTest
  void evidenceExtension_anyValue_isEvidenceOrRaTlsCertificateException(byte[] extnValue)
      throws Exception {
    X509Certificate certificate = SIGNING.certificateWith(extnValue);
    if (certificate == null) {
      return; // the JDK's certificate parser refused it: the reader never sees such a certificate
    }
    AllocationBudget.check(AllocationBudget.ALLOWANCE + 64L * extnValue.length, () -> {
      byte[] evidence;
      try {
        evidence = RaTlsCertificates.evidence(certificate);
      } catch (RaTlsCertificateException refused) {
        assertThat(refused.reason()).isEqualTo(RaTlsCertificateException.Reason.MALFORMED_EXTENSION);
        return;
      }
      assertThat(new DEROctetString(Cmw.encode(evidence)).getEncoded("DER"))
          .as("the extension value is the DER OCTET STRING of the CMW record")
          .isEqualTo(extnValue);
    });
  }

  /** A key that signs one throw-away certificate per input (the signature is not what is fuzzed). */
  record Signing(KeyPair key, ContentSigner signer) {
    private static final ASN1ObjectIdentifier OID =
        new ASN1ObjectIdentifier(RaTlsCertificates.EVIDENCE_EXTENSION_OID);
    private static final Date FROM = Date.from(Instant.parse("2026-01-01T00:00:00Z"));
    private static final Date TO = Date.from(Instant.parse("2026-01-02T00:00:00Z"));

    static Signing create() {
      try {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair key = g.generateKeyPair();
        return new Signing(key, new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()));
      } catch (Exception e) {
        throw new IllegalStateException("cannot make a signing key", e);
      }
    }

    /** The certificate, or null if the JDK refuses to parse it. */
    X509Certificate certificateWith(byte[] extnValue) {
      X509CertificateHolder holder;
      try {
        X500Principal name = RaTlsCertificates.SUBJECT;
        var builder = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, FROM, TO, name,
            key.getPublic());
        builder.addExtension(OID, false, extnValue);
        holder = builder.build(signer);
      } catch (CertIOException e) {
        throw new IllegalStateException("cannot build the certificate", e);
      }
      try {
        return new JcaX509CertificateConverter().getCertificate(holder);
      } catch (CertificateException e) {
        return null;
      }
    }
  }
}
