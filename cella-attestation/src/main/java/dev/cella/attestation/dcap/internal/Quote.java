package dev.cella.attestation.dcap.internal;

import dev.cella.attestation.AttestationException;
import dev.cella.attestation.AttestationException.Reason;
import dev.cella.attestation.hardware.internal.ByteReader;
import java.util.HexFormat;
import java.util.Optional;

/**
 * An Intel DCAP ECDSA quote (v3 SGX; v4 SGX or TDX; v5 with a body descriptor), parsed, not yet
 * verified. The end is computed from the signature data length; bytes after it (zero padding in
 * fixed-size buffers, or anything a transport appended) are not signed and are ignored.
 * Immutable by convention.
 *
 * @param signedLength header + (v5 descriptor) + body: what the attestation key signed
 * @param end where the signature data ends
 */
public record Quote(int version, long teeType, int bodyType, byte[] data, int signedLength,
    Optional<SgxReportBody> sgxBody, Optional<TdReportBody> tdBody, byte[] signature,
    byte[] attestationKey, SgxReportBody qeReport, byte[] qeReportSignature, byte[] qeAuthData,
    int certificationDataType, byte[] certificationData, int end) {
  public static final long TEE_SGX = 0x00;
  public static final long TEE_TDX = 0x81;
  public static final int BODY_SGX = 1;
  public static final int BODY_TD10 = 2;
  public static final int BODY_TD15 = 3;
  private static final int ECDSA_P256 = 2;
  private static final int HEADER = 48;
  private static final int CERT_QE_REPORT = 6;
  private static final String INTEL_QE_VENDOR = "939a7233f79c4ca9940a0db3957f0607";

  /** Whether {@code data} starts like a DCAP quote of TEE type {@code tee} (cheap). */
  public static boolean looksLike(byte[] data, long tee) {
    if (data.length < HEADER + 4) {
      return false;
    }
    int version = (data[0] & 0xFF) | (data[1] & 0xFF) << 8;
    int keyType = (data[2] & 0xFF) | (data[3] & 0xFF) << 8;
    long type = (data[4] & 0xFFL) | (data[5] & 0xFFL) << 8 | (data[6] & 0xFFL) << 16
        | (data[7] & 0xFFL) << 24;
    boolean versionOk = tee == TEE_SGX ? version == 3 || version == 4 || version == 5
        : version == 4 || version == 5;
    return versionOk && keyType == ECDSA_P256 && (version == 3 ? tee == TEE_SGX : type == tee);
  }

  /** Parses a quote. */
  public static Quote parse(byte[] data) throws AttestationException {
    ByteReader r = new ByteReader("dcap quote", data);
    int version = r.u16("version");
    if (version < 3 || version > 5) {
      throw new AttestationException(Reason.UNSUPPORTED_FORMAT,
          "dcap quote: version " + version + " is not 3, 4 or 5");
    }
    int keyType = r.u16("attestation key type");
    if (keyType != ECDSA_P256) {
      throw new AttestationException(Reason.UNSUPPORTED_FORMAT, "dcap quote: attestation key "
          + "type " + keyType + " is not ECDSA-256-with-P-256 (2)");
    }
    long tee = r.u32("TEE type");
    if (version == 3 && tee != TEE_SGX) {
      throw r.malformed(4, "a v3 quote's reserved field after the key type must be zero");
    }
    if (tee != TEE_SGX && tee != TEE_TDX) {
      throw r.malformed(4, "TEE type 0x" + Long.toHexString(tee) + " is neither SGX nor TDX");
    }
    r.skip(4, "QE SVN and PCE SVN");
    byte[] vendor = r.bytes(16, "QE vendor id");
    if (!HexFormat.of().formatHex(vendor).equals(INTEL_QE_VENDOR)) {
      throw new AttestationException(Reason.UNSUPPORTED_FORMAT, "dcap quote: QE vendor id "
          + HexFormat.of().formatHex(vendor) + " is not Intel's " + INTEL_QE_VENDOR);
    }
    r.skip(20, "user data");
    int bodyType = tee == TEE_SGX ? BODY_SGX : BODY_TD10;
    int bodyLength = tee == TEE_SGX ? SgxReportBody.LENGTH : TdReportBody.LENGTH_10;
    if (version == 5) {
      int at = r.position();
      bodyType = r.u16("body type");
      long size = r.u32("body size");
      bodyLength = switch (bodyType) {
        case BODY_SGX -> SgxReportBody.LENGTH;
        case BODY_TD10 -> TdReportBody.LENGTH_10;
        case BODY_TD15 -> TdReportBody.LENGTH_15;
        default -> throw r.malformed(at, "body type " + bodyType + " is not 1, 2 or 3");
      };
      if (size != bodyLength) {
        throw r.malformed(at + 2, "body size " + size + " is not " + bodyLength + " for body type "
            + bodyType);
      }
      if ((bodyType == BODY_SGX) != (tee == TEE_SGX)) {
        throw r.malformed(at, "body type " + bodyType + " does not fit TEE type 0x"
            + Long.toHexString(tee));
      }
    }
    byte[] body = r.bytes(bodyLength, "report body");
    int signedLength = r.position();
    long sigLength = r.u32("signature data length");
    int sigStart = r.position();
    r.require((int) Math.min(sigLength, Integer.MAX_VALUE), "signature data");
    int end = sigStart + (int) sigLength;
    ByteReader s = new ByteReader("dcap quote", data, sigStart, end);
    byte[] signature = s.bytes(64, "quote signature");
    byte[] attestKey = s.bytes(64, "attestation key");
    if (version >= 4) {
      int at = s.position();
      int type = s.u16("certification data type");
      if (type != CERT_QE_REPORT) {
        throw s.malformed(at, "certification data type " + type
            + " is not QE report certification data (6)");
      }
      long size = s.u32("certification data size");
      int innerStart = s.position();
      s.require((int) Math.min(size, Integer.MAX_VALUE), "QE report certification data");
      ByteReader inner = new ByteReader("dcap quote", data, innerStart, innerStart + (int) size);
      s.skip((int) size, "QE report certification data");
      requireEnd(s);
      return qePart(inner, version, tee, bodyType, data, signedLength, body, signature,
          attestKey, end);
    }
    return qePart(s, version, tee, bodyType, data, signedLength, body, signature, attestKey,
        end);
  }

  private static Quote qePart(ByteReader s, int version, long tee, int bodyType, byte[] data,
      int signedLength, byte[] body, byte[] signature, byte[] attestKey, int end)
      throws AttestationException {
    SgxReportBody qe = SgxReportBody.parse(s.bytes(SgxReportBody.LENGTH, "QE report"));
    byte[] qeSig = s.bytes(64, "QE report signature");
    int authSize = s.u16("QE authentication data size");
    byte[] auth = s.bytes(authSize, "QE authentication data");
    int certType = s.u16("certification data type");
    long certSize = s.u32("certification data size");
    int certAt = s.position();
    byte[] cert = s.bytes((int) Math.min(certSize, Integer.MAX_VALUE), "certification data");
    if (certType < 1 || certType > 5) {
      throw s.malformed(certAt - 6, "certification data type " + certType
          + " is not one of 1 to 5 (PPID forms or the PCK chain)");
    }
    requireEnd(s);
    Optional<SgxReportBody> sgx = bodyType == BODY_SGX
        ? Optional.of(SgxReportBody.parse(body)) : Optional.empty();
    Optional<TdReportBody> td = bodyType == BODY_SGX
        ? Optional.empty() : Optional.of(TdReportBody.parse(body));
    return new Quote(version, tee, bodyType, data, signedLength, sgx, td, signature, attestKey,
        qe, qeSig, auth, certType, cert, end);
  }

  private static void requireEnd(ByteReader r) throws AttestationException {
    if (r.remaining() != 0) {
      throw r.malformed(r.position(), r.remaining() + " unexpected bytes inside the signature "
          + "data");
    }
  }

  /** Bytes after the signature data: not signed, never read (real quotes carry zero padding). */
  public int trailingBytes() {
    return data.length - end;
  }
}
