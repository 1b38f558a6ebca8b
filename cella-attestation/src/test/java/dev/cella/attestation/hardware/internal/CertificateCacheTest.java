package dev.cella.attestation.hardware.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The parsed-certificate cache holds what evidence brings before anything vouches for it, so it
 * must stay small whatever a stream of hostile evidence carries (a review finding of the second
 * fuzzing campaign, docs/fuzzing.md).
 */
class CertificateCacheTest {
  @AfterEach
  void forget() {
    Certificates.forgetAll();
  }

  @Test
  void fromDer_ofACertificateLargerThanTheCacheTakes_isParsedButNotCached() throws Exception {
    Certificates.forgetAll();
    byte[] large = withFiller(Certificates.MAX_CACHED_CERTIFICATE_BYTES + 1000);

    X509Certificate cert = Certificates.fromDer(large);

    assertThat(cert.getEncoded()).isEqualTo(large);
    assertThat(Certificates.cachedBytes()).isZero();
  }

  @Test
  void fromDer_ofManyDistinctCertificates_keepsTheCacheWithinItsByteBound() throws Exception {
    Certificates.forgetAll();
    byte[] template = withFiller(Certificates.MAX_CACHED_CERTIFICATE_BYTES - 1000);
    int filler = indexOf(template, (byte) 0x5A, 64);
    long most = 0;
    int distinct = (int) (2 * Certificates.MAX_CACHED_BYTES / template.length);
    for (int i = 0; i < distinct; i++) {
      byte[] der = template.clone();
      der[filler] = (byte) i;
      der[filler + 1] = (byte) (i >>> 8);
      Certificates.fromDer(der); // parsed without checking the signature, as evidence is
      most = Math.max(most, Certificates.cachedBytes());
    }

    assertThat(most).isGreaterThan(Certificates.MAX_CACHED_BYTES / 2)
        .isLessThanOrEqualTo(Certificates.MAX_CACHED_BYTES);
  }

  /** A self-signed certificate with an unknown extension of {@code size} bytes of 0x5A. */
  private static byte[] withFiller(int size) throws Exception {
    KeyPair key = TestPki.ec("secp256r1");
    X500Name name = new X500Name("CN=cache-test");
    var b = new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
        Date.from(Instant.parse("2026-01-01T00:00:00Z")),
        Date.from(Instant.parse("2027-01-01T00:00:00Z")), name, key.getPublic());
    byte[] filler = new byte[size];
    java.util.Arrays.fill(filler, (byte) 0x5A);
    b.addExtension(new ASN1ObjectIdentifier("1.3.6.1.4.1.55555.1"), false,
        new DEROctetString(filler));
    return b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()))
        .getEncoded();
  }

  private static int indexOf(byte[] data, byte value, int run) {
    for (int i = 0; i + run <= data.length; i++) {
      int j = 0;
      while (j < run && data[i + j] == value) {
        j++;
      }
      if (j == run) {
        return i;
      }
    }
    throw new IllegalStateException("no filler");
  }
}
