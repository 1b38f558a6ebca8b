package dev.cella.attestation.dcap.internal;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;

/**
 * A PCK certificate and its Intel SGX extension (OID 1.2.840.113741.1.13.1): FMSPC, PCE-ID, and
 * the TCB it was issued for (16 SGX component SVNs, PCESVN, CPUSVN). Immutable by convention.
 */
public record PckCertificate(X509Certificate certificate, String fmspc, String pceId,
    int[] componentSvns, int pceSvn, byte[] cpuSvn) {
  private static final String SGX = "1.2.840.113741.1.13.1";

  /** Whether {@code cert} carries the SGX extension. */
  public static boolean isPck(X509Certificate cert) {
    return cert.getExtensionValue(SGX) != null && cert.getBasicConstraints() < 0;
  }

  /** Parses the SGX extension of {@code cert}. */
  public static PckCertificate of(X509Certificate cert) throws IOException {
    try {
      return parse(cert);
    } catch (RuntimeException e) {
      throw new IOException("malformed SGX extension: " + e.getMessage(), e);
    }
  }

  private static PckCertificate parse(X509Certificate cert) throws IOException {
    byte[] wrapped = cert.getExtensionValue(SGX);
    if (wrapped == null) {
      throw new IOException("no SGX extension");
    }
    ASN1Sequence seq = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(
        ASN1OctetString.getInstance(ASN1Primitive.fromByteArray(wrapped)).getOctets()));
    String fmspc = null;
    String pceId = null;
    int[] comps = null;
    int pceSvn = -1;
    byte[] cpuSvn = null;
    for (ASN1Encodable e : seq) {
      ASN1Sequence entry = ASN1Sequence.getInstance(e);
      String oid = ASN1ObjectIdentifier.getInstance(entry.getObjectAt(0)).getId();
      ASN1Encodable value = entry.getObjectAt(1);
      switch (oid.substring(SGX.length())) {
        case ".3" -> pceId = HexFormat.of().formatHex(octets(value, 2, "PCE-ID"));
        case ".4" -> fmspc = HexFormat.of().formatHex(octets(value, 6, "FMSPC"));
        case ".2" -> {
          comps = new int[16];
          for (ASN1Encodable c : ASN1Sequence.getInstance(value)) {
            ASN1Sequence comp = ASN1Sequence.getInstance(c);
            String cOid = ASN1ObjectIdentifier.getInstance(comp.getObjectAt(0)).getId();
            int n = Integer.parseInt(cOid.substring(cOid.lastIndexOf('.') + 1));
            if (n >= 1 && n <= 16) {
              comps[n - 1] = small(comp.getObjectAt(1), 255);
            } else if (n == 17) {
              pceSvn = small(comp.getObjectAt(1), 0xFFFF);
            } else if (n == 18) {
              cpuSvn = octets(comp.getObjectAt(1), 16, "CPUSVN");
            }
          }
        }
        default -> { }
      }
    }
    if (fmspc == null || pceId == null || comps == null || pceSvn < 0 || cpuSvn == null) {
      throw new IOException("the SGX extension lacks FMSPC, PCE-ID or the TCB");
    }
    return new PckCertificate(cert, fmspc, pceId, comps, pceSvn, cpuSvn);
  }

  private static byte[] octets(ASN1Encodable value, int length, String what) throws IOException {
    byte[] b = ASN1OctetString.getInstance(value).getOctets();
    if (b.length != length) {
      throw new IOException(what + " has " + b.length + " bytes, not " + length);
    }
    return b;
  }

  private static int small(ASN1Encodable value, int max) throws IOException {
    ASN1Primitive p = value.toASN1Primitive();
    long v = p instanceof ASN1Enumerated en ? en.getValue().longValueExact()
        : ASN1Integer.getInstance(p).longValueExact();
    if (v < 0 || v > max) {
      throw new IOException("SVN " + v + " out of range");
    }
    return (int) v;
  }
}
