package dev.cella.bundle.internal;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The little DER (ITU-T X.690) that key files need: reading definite-length TLVs and writing them.
 * Only the tags Cella uses appear; long-form lengths up to 4 bytes are accepted, indefinite
 * lengths are refused.
 */
public final class Der {
  public static final int INTEGER = 0x02;
  public static final int BIT_STRING = 0x03;
  public static final int OCTET_STRING = 0x04;
  public static final int OID = 0x06;
  public static final int SEQUENCE = 0x30;
  /** Context-specific constructed tag {@code [n]}. */
  public static int context(int n) {
    return 0xA0 | n;
  }

  /** A DER structure is malformed. */
  public static final class DerException extends Exception {
    private static final long serialVersionUID = 1L;

    DerException(String message) {
      super(message);
    }
  }

  /** One TLV: its tag and the bounds of its value within the source array. */
  public record Tlv(int tag, byte[] source, int start, int end) {
    /** A copy of the value bytes. */
    public byte[] value() {
      return Arrays.copyOfRange(source, start, end);
    }

    /** A reader over the value, for constructed types. */
    public Reader contents() {
      return new Reader(source, start, end);
    }
  }

  /** Reads consecutive TLVs in {@code [pos, end)}. */
  public static final class Reader {
    private final byte[] source;
    private int pos;
    private final int end;

    public Reader(byte[] source) {
      this(source, 0, source.length);
    }

    Reader(byte[] source, int start, int end) {
      this.source = source;
      this.pos = start;
      this.end = end;
    }

    public boolean hasMore() {
      return pos < end;
    }

    /** The next TLV's tag, without consuming it; -1 at the end. */
    public int peekTag() {
      return pos < end ? source[pos] & 0xFF : -1;
    }

    /** The next TLV, which must have {@code tag}. */
    public Tlv next(int tag) throws DerException {
      if (pos >= end) {
        throw new DerException("ends early");
      }
      int t = source[pos++] & 0xFF;
      if (t != tag) {
        throw new DerException("expected tag 0x" + Integer.toHexString(tag) + ", found 0x"
            + Integer.toHexString(t));
      }
      if (pos >= end) {
        throw new DerException("ends early");
      }
      int first = source[pos++] & 0xFF;
      long length;
      if (first < 0x80) {
        length = first;
      } else {
        int n = first & 0x7F;
        if (n == 0 || n > 4 || pos + n > end) {
          throw new DerException("has an unsupported length encoding");
        }
        length = 0;
        for (int i = 0; i < n; i++) {
          length = length << 8 | (source[pos++] & 0xFF);
        }
        if (length < 0x80 || (n > 1 && length < 1L << (8 * (n - 1)))) {
          throw new DerException("has a non-minimal length");
        }
      }
      if (length > end - pos) {
        throw new DerException("has a length past its end");
      }
      Tlv tlv = new Tlv(t, source, pos, pos + (int) length);
      pos += (int) length;
      return tlv;
    }

    /** Refuses trailing bytes. */
    public void finish() throws DerException {
      if (pos != end) {
        throw new DerException("has trailing bytes");
      }
    }
  }

  private Der() {}

  /** The DER encoding of a TLV with {@code tag} and the concatenation of {@code parts}. */
  public static byte[] tlv(int tag, byte[]... parts) {
    int length = 0;
    for (byte[] p : parts) {
      length += p.length;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(length + 6);
    out.write(tag);
    if (length < 0x80) {
      out.write(length);
    } else if (length < 0x100) {
      out.write(0x81);
      out.write(length);
    } else {
      out.write(0x82);
      out.write(length >> 8);
      out.write(length & 0xFF);
    }
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
