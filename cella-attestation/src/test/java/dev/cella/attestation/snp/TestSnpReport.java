package dev.cella.attestation.snp;

import dev.cella.attestation.hardware.internal.TestPki.Issued;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Builds SNP reports field by field and signs them like the AMD firmware (r, s little endian). */
final class TestSnpReport {
  int version = 3;
  long policy = 0x30000;
  long flags;
  long reportedTcb;
  int cpuidFamily = 0x1A;
  byte[] chipId = new byte[64];
  byte[] reportData = new byte[64];
  byte[] measurement = new byte[48];

  byte[] sign(PrivateKey key) {
    ByteBuffer b = ByteBuffer.allocate(0x4A0).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0, version);
    b.putLong(0x08, policy);
    b.putInt(0x34, 1);
    b.putLong(0x38, reportedTcb);
    b.putInt(0x48, (int) flags);
    b.put(0x50, reportData);
    b.put(0x90, measurement);
    b.putLong(0x180, reportedTcb);
    b.put(0x188, (byte) cpuidFamily);
    b.put(0x1A0, chipId);
    b.putLong(0x1E0, reportedTcb);
    b.putLong(0x1F0, reportedTcb);
    byte[] report = b.array();
    try {
      Signature s = Signature.getInstance("SHA384withECDSAinP1363Format");
      s.initSign(key);
      s.update(report, 0, 0x2A0);
      byte[] rs = s.sign();
      for (int i = 0; i < 48; i++) {
        report[0x2A0 + i] = rs[47 - i];
        report[0x2E8 + i] = rs[95 - i];
      }
      return report;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A Turin TCB_VERSION: byte 0 FMC, 1 boot loader, 2 TEE, 3 SNP, 7 microcode. */
  static long turinTcb(int fmc, int bl, int tee, int snp, int ucode) {
    return fmc | (long) bl << 8 | (long) tee << 16 | (long) snp << 24 | (long) ucode << 56;
  }

  /**
   * A VCEK for {@code key}, issued by {@code ask}, valid around {@code t0}, with the AMD
   * extensions: product name, the TCB SPLs {@code spl} (3.1 to 3.9: boot loader, TEE, SNP, four
   * reserved, microcode, FMC) and the hwID.
   */
  static X509Certificate vcek(Issued ask, KeyPair key, String product, byte[] hwId, int[] spl,
      Instant t0) throws Exception {
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
        X500Name.getInstance(ask.cert().getSubjectX500Principal().getEncoded()),
        BigInteger.valueOf(7), Date.from(t0.minusSeconds(999)),
        Date.from(t0.plus(Duration.ofDays(99))), new X500Name("CN=SEV-VCEK"), key.getPublic());
    String amd = "1.3.6.1.4.1.3704.1.";
    b.addExtension(new ASN1ObjectIdentifier(amd + "1"), false, new ASN1Integer(1));
    b.addExtension(new ASN1ObjectIdentifier(amd + "2"), false, new DERIA5String(product));
    for (int i = 0; i < spl.length; i++) {
      b.addExtension(new ASN1ObjectIdentifier(amd + "3." + (i + 1)), false,
          new ASN1Integer(spl[i]));
    }
    b.addExtension(new ASN1ObjectIdentifier(amd + "4"), false, hwId);
    return new JcaX509CertificateConverter().getCertificate(
        b.build(new JcaContentSignerBuilder("SHA384withECDSA").build(ask.key())));
  }
}
