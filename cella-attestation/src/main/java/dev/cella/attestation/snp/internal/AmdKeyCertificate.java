package dev.cella.attestation.snp.internal;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;

/**
 * A VCEK or VLEK certificate and the AMD extensions it carries (VCEK/KDS specification):
 * product name, the TCB it was derived for, the chip's hwID (VCEK) or the cloud provider's cspID
 * (VLEK). Immutable.
 *
 * @param hwId the hwID (64 bytes; 8 on Turin), empty for a VLEK
 * @param cspId the cspID, empty for a VCEK
 */
public record AmdKeyCertificate(X509Certificate certificate, int structVersion,
    String productName, TcbVersion tcb, Optional<byte[]> hwId, Optional<String> cspId) {
  private static final String AMD = "1.3.6.1.4.1.3704.1.";
  private static final String STRUCT_VERSION = AMD + "1";
  private static final String PRODUCT_NAME = AMD + "2";
  private static final String BL_SPL = AMD + "3.1";
  private static final String TEE_SPL = AMD + "3.2";
  private static final String SNP_SPL = AMD + "3.3";
  private static final String UCODE_SPL = AMD + "3.8";
  private static final String FMC_SPL = AMD + "3.9";
  private static final String HW_ID = AMD + "4";
  private static final String CSP_ID = AMD + "5";

  /** The AMD key certificate in {@code cert}, or empty if it has no AMD TCB extensions. */
  public static Optional<AmdKeyCertificate> of(X509Certificate cert) {
    try {
      Optional<byte[]> product = extension(cert, PRODUCT_NAME);
      Optional<byte[]> bl = extension(cert, BL_SPL);
      if (product.isEmpty() || bl.isEmpty()) {
        return Optional.empty();
      }
      String name = string(product.get());
      int fmc = extension(cert, FMC_SPL).isPresent() ? integer(cert, FMC_SPL) : -1;
      TcbVersion tcb = new TcbVersion(integer(cert, BL_SPL), integer(cert, TEE_SPL),
          integer(cert, SNP_SPL), integer(cert, UCODE_SPL), fmc);
      int version = extension(cert, STRUCT_VERSION).isPresent() ? integer(cert, STRUCT_VERSION)
          : 0;
      Optional<byte[]> hwId = extension(cert, HW_ID).map(AmdKeyCertificate::unwrapHwId);
      Optional<String> cspId = extension(cert, CSP_ID).map(AmdKeyCertificate::string);
      if (hwId.isPresent() == cspId.isPresent()) {
        return Optional.empty();
      }
      return Optional.of(new AmdKeyCertificate(cert, version, name, tcb, hwId, cspId));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The product family: {@code Milan}, {@code Genoa} or {@code Turin} ("Milan-B0" → Milan). */
  public String family() {
    int dash = productName.indexOf('-');
    return dash < 0 ? productName : productName.substring(0, dash);
  }

  public boolean isTurin() {
    return family().equals("Turin");
  }

  public boolean isVlek() {
    return cspId.isPresent();
  }

  /** Whether this VCEK's hwID is {@code chipId} (Turin: its first 8 bytes, the rest zero). */
  public boolean matchesChip(byte[] chipId) {
    if (hwId.isEmpty()) {
      return false;
    }
    byte[] id = hwId.get();
    if (id.length > chipId.length) {
      return false;
    }
    for (int i = id.length; i < chipId.length; i++) {
      if (chipId[i] != 0) {
        return false;
      }
    }
    return Arrays.equals(id, 0, id.length, chipId, 0, id.length);
  }

  public String hwIdHex() {
    return hwId.map(b -> HexFormat.of().formatHex(b)).orElse("");
  }

  // KDS writes the raw bytes; some tools wrap them in an OCTET STRING. Both are read.
  private static byte[] unwrapHwId(byte[] raw) {
    if ((raw.length == 66 || raw.length == 10) && raw[0] == 0x04 && raw[1] == raw.length - 2) {
      return Arrays.copyOfRange(raw, 2, raw.length);
    }
    return raw;
  }

  private static Optional<byte[]> extension(X509Certificate cert, String oid) throws IOException {
    byte[] wrapped = cert.getExtensionValue(oid);
    if (wrapped == null) {
      return Optional.empty();
    }
    return Optional.of(ASN1OctetString.getInstance(ASN1Primitive.fromByteArray(wrapped))
        .getOctets());
  }

  private static int integer(X509Certificate cert, String oid) throws IOException {
    byte[] value = extension(cert, oid).orElseThrow(() -> new IOException("no " + oid));
    int v = ASN1Integer.getInstance(ASN1Primitive.fromByteArray(value)).intValueExact();
    if (v < 0 || v > 255) {
      throw new IOException(oid + " is not an 8-bit SPL: " + v);
    }
    return v;
  }

  private static String string(byte[] value) {
    try {
      ASN1Primitive p = ASN1Primitive.fromByteArray(value);
      if (p instanceof ASN1String s) {
        return s.getString();
      }
    } catch (IOException e) {
      // fall through
    }
    throw new IllegalArgumentException("not a string");
  }
}
