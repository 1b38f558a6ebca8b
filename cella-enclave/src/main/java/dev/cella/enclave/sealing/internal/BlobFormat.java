package dev.cella.enclave.sealing.internal;

import dev.cella.enclave.sealing.SealPolicy;
import dev.cella.enclave.sealing.UnsealException;
import dev.cella.enclave.sealing.UnsealException.Reason;

/**
 * The sealed blob format, version 1 (all integers big-endian; see {@code docs/sealing.md}):
 *
 * <pre>
 *  offset length field
 *       0      4 magic "CLSB"
 *       4      1 format version = 1
 *       5      1 policy: 1 = MEASUREMENT, 2 = SIGNER
 *       6      2 SVN the blob was sealed at (u16)
 *       8     16 key id: the first 16 bytes of the identity hash (see {@link BlobKeys})
 *      24     12 GCM nonce, random per blob
 *      36      4 plaintext length n (u32, at most 2^31 - 1 - 56)
 *      40      n AES-256-GCM ciphertext
 *  40 + n     16 GCM tag over AAD = header (bytes 0..39) || caller's associated data
 * </pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class BlobFormat {
  public static final byte[] MAGIC = {'C', 'L', 'S', 'B'};
  public static final int VERSION = 1;
  public static final int KEY_ID_OFFSET = 8;
  public static final int KEY_ID_LENGTH = 16;
  public static final int NONCE_OFFSET = 24;
  public static final int NONCE_LENGTH = 12;
  public static final int LENGTH_OFFSET = 36;
  public static final int HEADER_LENGTH = 40;
  public static final int TAG_LENGTH = 16;
  public static final int OVERHEAD = HEADER_LENGTH + TAG_LENGTH;
  /** The largest plaintext whose blob still fits in a Java array. */
  public static final int MAX_PLAINTEXT_LENGTH = Integer.MAX_VALUE - 8 - OVERHEAD;

  /** The fields of a parsed header; the key id and nonce stay in the blob. */
  public record Header(SealPolicy policy, int svn, int plaintextLength) {}

  private BlobFormat() {}

  /** The header's policy byte. */
  public static int policyCode(SealPolicy policy) {
    return switch (policy) {
      case MEASUREMENT -> 1;
      case SIGNER -> 2;
    };
  }

  /** Writes the header into {@code out[0..40)}, except the nonce, which the caller fills in. */
  public static void writeHeader(
      byte[] out, SealPolicy policy, int svn, byte[] keyId, int plaintextLength) {
    System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
    out[4] = VERSION;
    out[5] = (byte) policyCode(policy);
    out[6] = (byte) (svn >>> 8);
    out[7] = (byte) svn;
    System.arraycopy(keyId, 0, out, KEY_ID_OFFSET, KEY_ID_LENGTH);
    writeInt(out, LENGTH_OFFSET, plaintextLength);
  }

  /**
   * Parses and checks the header's structure (not the key id, SVN or tag, which the sealer
   * checks against its own identity).
   */
  public static Header parse(byte[] blob) throws UnsealException {
    int prefix = Math.min(blob.length, MAGIC.length);
    for (int i = 0; i < prefix; i++) {
      if (blob[i] != MAGIC[i]) {
        throw new UnsealException(Reason.MALFORMED,
            "not a Cella sealed blob: it does not start with the magic bytes \"CLSB\"");
      }
    }
    if (blob.length <= 4) {
      throw truncated(blob.length, HEADER_LENGTH);
    }
    if (blob[4] != VERSION) {
      throw new UnsealException(Reason.UNKNOWN_VERSION,
          "blob format version " + (blob[4] & 0xFF) + " is unknown; this runtime reads version "
              + VERSION);
    }
    if (blob.length < HEADER_LENGTH) {
      throw truncated(blob.length, HEADER_LENGTH);
    }
    SealPolicy policy = switch (blob[5]) {
      case 1 -> SealPolicy.MEASUREMENT;
      case 2 -> SealPolicy.SIGNER;
      default -> throw new UnsealException(Reason.MALFORMED,
          "the header names seal policy " + (blob[5] & 0xFF) + ", which does not exist");
    };
    int svn = ((blob[6] & 0xFF) << 8) | (blob[7] & 0xFF);
    long length = readInt(blob, LENGTH_OFFSET) & 0xFFFF_FFFFL;
    if (length > MAX_PLAINTEXT_LENGTH) {
      throw new UnsealException(Reason.MALFORMED,
          "the header declares " + length + " plaintext bytes, more than a blob can hold");
    }
    long expected = OVERHEAD + length;
    if (blob.length < expected) {
      throw truncated(blob.length, expected);
    }
    if (blob.length > expected) {
      throw new UnsealException(Reason.MALFORMED,
          "the blob has " + (blob.length - expected) + " bytes after its tag (" + blob.length
              + " bytes, the header declares " + expected + ")");
    }
    return new Header(policy, svn, (int) length);
  }

  private static UnsealException truncated(int actual, long expected) {
    return new UnsealException(Reason.TRUNCATED,
        "the blob has " + actual + " bytes, " + (actual < HEADER_LENGTH && expected == HEADER_LENGTH
            ? "shorter than the " + HEADER_LENGTH + "-byte header"
            : "its header declares " + expected));
  }

  private static void writeInt(byte[] out, int offset, int value) {
    out[offset] = (byte) (value >>> 24);
    out[offset + 1] = (byte) (value >>> 16);
    out[offset + 2] = (byte) (value >>> 8);
    out[offset + 3] = (byte) value;
  }

  private static int readInt(byte[] in, int offset) {
    return ((in[offset] & 0xFF) << 24) | ((in[offset + 1] & 0xFF) << 16)
        | ((in[offset + 2] & 0xFF) << 8) | (in[offset + 3] & 0xFF);
  }
}
