package dev.cella.attestation.internal;

import java.io.ByteArrayOutputStream;

/**
 * Writes the head of a definite-length CBOR item (RFC 8949 §3) in its shortest form, as the
 * deterministic encoding (§4.2.1) requires: the major type and a length or value below 2^32. The
 * COSE Sig_structure of Nitro documents and the RA-TLS CMW record are written with it.
 *
 * <p>Example: {@code CborHeads.write(out, CborHeads.BYTES, payload.length)}.
 *
 * <p>Stateless and thread-safe.
 */
public final class CborHeads {
  /** Major type 2, a byte string. */
  public static final int BYTES = 2;
  /** Major type 3, a text string. */
  public static final int TEXT = 3;

  private CborHeads() {}

  /** Writes the head of major type {@code major} (0 to 7) with argument {@code length} (≥ 0). */
  public static void write(ByteArrayOutputStream out, int major, int length) {
    if (major < 0 || major > 7 || length < 0) {
      throw new IllegalArgumentException("major type " + major + ", length " + length);
    }
    int m = major << 5;
    if (length < 24) {
      out.write(m | length);
    } else if (length < 0x100) {
      out.write(m | 24);
      out.write(length);
    } else if (length < 0x10000) {
      out.write(m | 25);
      out.write(length >>> 8);
      out.write(length);
    } else {
      out.write(m | 26);
      out.write(length >>> 24);
      out.write(length >>> 16);
      out.write(length >>> 8);
      out.write(length);
    }
  }
}
