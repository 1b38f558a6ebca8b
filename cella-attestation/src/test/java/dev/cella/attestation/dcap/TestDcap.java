package dev.cella.attestation.dcap;

import dev.cella.attestation.AttestationException;
import dev.cella.attestation.dcap.internal.Quote;
import dev.cella.attestation.hardware.internal.QuoteSplices;
import dev.cella.attestation.hardware.internal.TestPki;
import dev.cella.attestation.hardware.internal.TestPki.Issued;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A complete SGX DCAP world made of test keys: a root named like Intel's, PCK CA, PCK leaf with
 * the SGX extension, TCB signing certificate, CRLs, TCB info and QE identity, and quotes (v3 or
 * v4) signed end to end. Knobs change one thing at a time.
 */
final class TestDcap {
  static final Instant T0 = Instant.parse("2026-05-01T00:00:00Z");
  static final String FMSPC = "00906ed50000";
  static final String QE_MRSIGNER = "8c4f5775d796503e96137f77c68a829a0056ac8ded70140b081b094490c57bff";

  final Issued root = TestPki.root("CN=Intel SGX Root CA,O=Intel Corporation,L=Santa Clara,"
      + "ST=CA,C=US", "secp256r1", T0.minus(Duration.ofDays(999)), T0.plus(Duration.ofDays(999)));
  final Issued pckCa = TestPki.issue(root, "CN=Intel SGX PCK Platform CA,O=Intel Corporation,"
      + "L=Santa Clara,ST=CA,C=US", "secp256r1", T0.minus(Duration.ofDays(99)),
      T0.plus(Duration.ofDays(999)), true);
  final Issued tcbSigning = TestPki.issue(root, "CN=Intel SGX TCB Signing,O=Intel Corporation,"
      + "L=Santa Clara,ST=CA,C=US", "secp256r1", T0.minus(Duration.ofDays(99)),
      T0.plus(Duration.ofDays(999)), false);
  final KeyPair pckKey = TestPki.ec("secp256r1");
  final KeyPair attestationKey = TestPki.ec("secp256r1");
  int[] pckComponents = {5, 5, 2, 2, 3, 1, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0};
  int pckPceSvn = 13;
  X509Certificate pck = pck();

  /** Issues the PCK again, after {@link #pckComponents} or {@link #pckPceSvn} changed. */
  X509Certificate rebuild() {
    return pck();
  }

  // QE report knobs
  String qeMiscselect = "00000000";
  int qeIsvSvn = 8;
  // collateral knobs
  String platformStatus = "UpToDate";
  String qeLevelStatus = "UpToDate";
  boolean revokePck;

  private X509Certificate pck() {
    try {
      var b = new JcaX509v3CertificateBuilder(
          X500Name.getInstance(pckCa.cert().getSubjectX500Principal().getEncoded()),
          BigInteger.valueOf(4242), Date.from(T0.minus(Duration.ofDays(9))),
          Date.from(T0.plus(Duration.ofDays(999))),
          new X500Name("CN=Intel SGX PCK Certificate,O=Intel Corporation,L=Santa Clara,ST=CA,"
              + "C=US"), pckKey.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      String sgx = "1.2.840.113741.1.13.1";
      ASN1EncodableVector tcb = new ASN1EncodableVector();
      for (int i = 0; i < 16; i++) {
        tcb.add(entry(sgx + ".2." + (i + 1), new ASN1Integer(pckComponents[i])));
      }
      tcb.add(entry(sgx + ".2.17", new ASN1Integer(pckPceSvn)));
      tcb.add(entry(sgx + ".2.18", new DEROctetString(new byte[16])));
      ASN1EncodableVector ext = new ASN1EncodableVector();
      ext.add(entry(sgx + ".1", new DEROctetString(new byte[16])));
      ext.add(entry(sgx + ".2", new DERSequence(tcb)));
      ext.add(entry(sgx + ".3", new DEROctetString(new byte[2])));
      ext.add(entry(sgx + ".4", new DEROctetString(HexFormat.of().parseHex(FMSPC))));
      b.addExtension(new ASN1ObjectIdentifier(sgx), false, new DERSequence(ext));
      return new JcaX509CertificateConverter().getCertificate(
          b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pckCa.key())));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static DERSequence entry(String oid, org.bouncycastle.asn1.ASN1Encodable value) {
    return new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
        new ASN1ObjectIdentifier(oid), value});
  }

  /** A quote of {@code version} (3 or 4) with an SGX body. */
  byte[] quote(int version) {
    ByteBuffer header = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN);
    header.putShort((short) version).putShort((short) 2).putInt(0).putShort((short) 0)
        .putShort((short) 0).put(HexFormat.of().parseHex("939a7233f79c4ca9940a0db3957f0607"));
    byte[] body = new byte[384];
    body[64] = 0x11; // MRENCLAVE
    body[128] = 0x22; // MRSIGNER
    body[256] = 7; // ISVPRODID
    body[258] = 3; // ISVSVN
    body[320] = 'h'; // REPORTDATA
    byte[] key = raw(attestationKey);
    byte[] auth = "auth".getBytes(StandardCharsets.US_ASCII);
    byte[] qe = new byte[384];
    System.arraycopy(HexFormat.of().parseHex(qeMiscselect), 0, qe, 16, 4);
    qe[48] = 0x15;
    System.arraycopy(HexFormat.of().parseHex(QE_MRSIGNER), 0, qe, 128, 32);
    qe[256] = 1;
    qe[258] = (byte) qeIsvSvn;
    System.arraycopy(sha256(concat(key, auth)), 0, qe, 320, 32);
    byte[] pem = pemChain();
    ByteArrayOutputStream qePart = new ByteArrayOutputStream();
    qePart.writeBytes(qe);
    qePart.writeBytes(sign(pckKey.getPrivate(), qe));
    qePart.writeBytes(le16(auth.length));
    qePart.writeBytes(auth);
    qePart.writeBytes(le16(5));
    qePart.writeBytes(le32(pem.length));
    qePart.writeBytes(pem);
    byte[] signed = concat(header.array(), body);
    ByteArrayOutputStream sigData = new ByteArrayOutputStream();
    sigData.writeBytes(sign(attestationKey.getPrivate(), signed));
    sigData.writeBytes(key);
    if (version >= 4) {
      sigData.writeBytes(le16(6));
      sigData.writeBytes(le32(qePart.size()));
    }
    sigData.writeBytes(qePart.toByteArray());
    return concat(concat(signed, le32(sigData.size())), sigData.toByteArray());
  }

  /**
   * {@code quote} (v3 or v4, SGX or TDX) made to pass this world's signature checks whatever its
   * header, body and QE report say: the certification data becomes this world's PCK chain, the
   * attestation key this world's, the QE report's report data the hash of that key and the QE
   * authentication data, and both signatures are made again. For the fuzz target that reaches
   * the checks behind them.
   */
  byte[] resign(byte[] quote) throws AttestationException {
    byte[] out = QuoteSplices.withCertificationData(quote, pemChain());
    Quote q = Quote.parse(out);
    int sigStart = q.signedLength() + 4;
    byte[] key = raw(attestationKey);
    System.arraycopy(key, 0, out, sigStart + 64, 64);
    int qeStart = sigStart + 128 + (q.version() >= 4 ? 6 : 0);
    byte[] reportData = sha256(concat(key, q.qeAuthData()));
    System.arraycopy(reportData, 0, out, qeStart + 320, 32);
    java.util.Arrays.fill(out, qeStart + 352, qeStart + 384, (byte) 0);
    byte[] qeReport = java.util.Arrays.copyOfRange(out, qeStart, qeStart + 384);
    System.arraycopy(sign(pckKey.getPrivate(), qeReport), 0, out, qeStart + 384, 64);
    byte[] signed = java.util.Arrays.copyOfRange(out, 0, q.signedLength());
    System.arraycopy(sign(attestationKey.getPrivate(), signed), 0, out, sigStart, 64);
    return out;
  }

  private byte[] pemChain() {
    return ("-----BEGIN CERTIFICATE-----\n" + b64(pck) + "\n-----END CERTIFICATE-----\n"
        + "-----BEGIN CERTIFICATE-----\n" + b64(pckCa.cert()) + "\n-----END CERTIFICATE-----\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** Writes TCB info, QE identity, CRLs and the TCB signing certificate to {@code dir}. */
  Path collateral(Path dir) throws Exception {
    String levels = "[{\"tcb\":{\"sgxtcbcomponents\":" + components(5) + ",\"pcesvn\":13},"
        + "\"tcbDate\":\"2025-01-01T00:00:00Z\",\"tcbStatus\":\"" + platformStatus + "\","
        + "\"advisoryIDs\":[\"INTEL-SA-00001\"]},"
        + "{\"tcb\":{\"sgxtcbcomponents\":" + components(1) + ",\"pcesvn\":5},"
        + "\"tcbDate\":\"2020-01-01T00:00:00Z\",\"tcbStatus\":\"OutOfDate\","
        + "\"advisoryIDs\":[\"INTEL-SA-00002\"]}]";
    String tcbInfo = "{\"id\":\"SGX\",\"version\":3,\"issueDate\":\"" + T0.minus(Duration.ofDays(1))
        + "\",\"nextUpdate\":\"" + T0.plus(Duration.ofDays(30)) + "\",\"fmspc\":\""
        + FMSPC.toUpperCase() + "\",\"pceId\":\"0000\",\"tcbType\":0,"
        + "\"tcbEvaluationDataNumber\":19,\"tcbLevels\":" + levels + "}";
    String identity = "{\"id\":\"QE\",\"version\":2,\"issueDate\":\"" + T0.minus(Duration.ofDays(1))
        + "\",\"nextUpdate\":\"" + T0.plus(Duration.ofDays(30)) + "\",\"tcbEvaluationDataNumber\":19,"
        + "\"miscselect\":\"00000000\",\"miscselectMask\":\"FFFFFFFF\","
        + "\"attributes\":\"11000000000000000000000000000000\","
        + "\"attributesMask\":\"FBFFFFFFFFFFFFFF0000000000000000\",\"mrsigner\":\""
        + QE_MRSIGNER.toUpperCase() + "\",\"isvprodid\":1,\"tcbLevels\":[{\"tcb\":{\"isvsvn\":8},"
        + "\"tcbDate\":\"2025-01-01T00:00:00Z\",\"tcbStatus\":\"" + qeLevelStatus + "\"},"
        + "{\"tcb\":{\"isvsvn\":0},\"tcbDate\":\"2018-01-01T00:00:00Z\","
        + "\"tcbStatus\":\"OutOfDate\",\"advisoryIDs\":[\"INTEL-SA-00003\"]}]}";
    Files.writeString(dir.resolve("a"), "{\"tcbInfo\":" + tcbInfo + ",\"signature\":\""
        + HexFormat.of().formatHex(sign(tcbSigning.key(), bytes(tcbInfo))) + "\"}");
    Files.writeString(dir.resolve("b"), "{\"enclaveIdentity\":" + identity + ",\"signature\":\""
        + HexFormat.of().formatHex(sign(tcbSigning.key(), bytes(identity))) + "\"}");
    Files.write(dir.resolve("c"), crl(root, null).getEncoded());
    Files.write(dir.resolve("d"), crl(pckCa, revokePck ? pck : null).getEncoded());
    Files.write(dir.resolve("e"), tcbSigning.cert().getEncoded());
    return dir;
  }

  private static X509CRL crl(Issued issuer, X509Certificate revoked) throws Exception {
    X509v2CRLBuilder b = new X509v2CRLBuilder(
        X500Name.getInstance(issuer.cert().getSubjectX500Principal().getEncoded()),
        Date.from(T0.minus(Duration.ofDays(1))));
    b.setNextUpdate(Date.from(T0.plus(Duration.ofDays(30))));
    if (revoked != null) {
      b.addCRLEntry(revoked.getSerialNumber(), Date.from(T0.minus(Duration.ofHours(5))), 1);
    }
    return new JcaX509CRLConverter().getCRL(
        b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.key())));
  }

  private static String components(int svn) {
    StringBuilder s = new StringBuilder("[");
    for (int i = 0; i < 16; i++) {
      s.append(i > 0 ? "," : "").append("{\"svn\":").append(i < 2 ? svn : 0).append('}');
    }
    return s.append(']').toString();
  }

  static byte[] sign(PrivateKey key, byte[] data) {
    try {
      Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
      s.initSign(key);
      s.update(data);
      return s.sign();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] raw(KeyPair kp) {
    ECPublicKey k = (ECPublicKey) kp.getPublic();
    return concat(fixed(k.getW().getAffineX()), fixed(k.getW().getAffineY()));
  }

  private static byte[] fixed(BigInteger v) {
    byte[] b = v.toByteArray();
    byte[] out = new byte[32];
    int n = Math.min(b.length, 32);
    System.arraycopy(b, b.length - n, out, 32 - n, n);
    return out;
  }

  private static String b64(X509Certificate c) {
    try {
      return Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
          .encodeToString(c.getEncoded());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] le16(int v) {
    return new byte[] {(byte) v, (byte) (v >>> 8)};
  }

  private static byte[] le32(int v) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
