package dev.cella.attestation.ratls.internal;

import dev.cella.attestation.internal.CborHeads;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The CBOR record form of a RATS Conceptual Messages Wrapper (draft-ietf-rats-msg-wrap): {@code
 * [type, value, indicator]} with the media type {@value #MEDIA_TYPE}, the evidence as a byte
 * string and the indicator 4 (bit 2: evidence). Encoded deterministically (RFC 8949 §4.2.1);
 * the decoder accepts exactly that encoding and nothing after it.
 *
 * <p>Stateless and thread-safe.
 */
public final class Cmw {
  /** The media type Cella puts in the record: evidence of any format AttestationVerifier detects. */
  public static final String MEDIA_TYPE = "application/vnd.cella.evidence";
  /** The indicator of evidence (bit 2). */
  public static final int EVIDENCE_INDICATOR = 4;
  /** The longest evidence carried. */
  public static final int MAX_EVIDENCE_BYTES = 65536;

  private Cmw() {}

  /** Thrown for a record that is not exactly the form above; the message gives the offset. */
  public static final class MalformedException extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedException(String message) {
      super(message);
    }
  }

  /** The record carrying {@code evidence}. */
  public static byte[] encode(byte[] evidence) {
    if (evidence.length == 0 || evidence.length > MAX_EVIDENCE_BYTES) {
      throw new IllegalArgumentException("evidence must be 1 to " + MAX_EVIDENCE_BYTES + " bytes");
    }
    byte[] type = MEDIA_TYPE.getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream out = new ByteArrayOutputStream(evidence.length + 48);
    out.write(0x83);
    CborHeads.write(out, CborHeads.TEXT, type.length);
    out.writeBytes(type);
    CborHeads.write(out, CborHeads.BYTES, evidence.length);
    out.writeBytes(evidence);
    out.write(EVIDENCE_INDICATOR);
    return out.toByteArray();
  }

  /** The evidence in {@code record}. */
  public static byte[] decode(byte[] record) throws MalformedException {
    Reader in = new Reader(record);
    in.expect(0x83, "an array of 3 items [type, value, indicator]");
    int typeLength = in.length(3, "the type (a text string)");
    byte[] type = in.take(typeLength, "the type");
    if (!Arrays.equals(type, MEDIA_TYPE.getBytes(StandardCharsets.US_ASCII))) {
      throw new MalformedException("CMW type is '" + printable(type) + "', expected '"
          + MEDIA_TYPE + "'");
    }
    int valueLength = in.length(2, "the value (a byte string)");
    if (valueLength == 0 || valueLength > MAX_EVIDENCE_BYTES) {
      throw new MalformedException("CMW value of " + valueLength + " bytes at offset "
          + in.position + "; evidence is 1 to " + MAX_EVIDENCE_BYTES + " bytes");
    }
    byte[] evidence = in.take(valueLength, "the value");
    in.expect(EVIDENCE_INDICATOR, "the indicator 4 (evidence)");
    if (in.position != record.length) {
      throw new MalformedException((record.length - in.position)
          + " bytes after the CMW record at offset " + in.position);
    }
    return evidence;
  }


  private static String printable(byte[] bytes) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < Math.min(bytes.length, 64); i++) {
      int c = bytes[i] & 0xFF;
      s.append(c >= 0x20 && c < 0x7F ? (char) c : '?');
    }
    return s.toString();
  }

  private static final class Reader {
    private final byte[] data;
    private int position;

    Reader(byte[] data) {
      this.data = data;
    }

    void expect(int value, String what) throws MalformedException {
      if (position >= data.length || (data[position] & 0xFF) != value) {
        throw new MalformedException("expected " + what + " at offset " + position);
      }
      position++;
    }

    /** A definite length of {@code major} in its shortest form. */
    int length(int major, String what) throws MalformedException {
      if (position >= data.length || (data[position] & 0xFF) >>> 5 != major) {
        throw new MalformedException("expected " + what + " at offset " + position);
      }
      int start = position;
      int info = data[position++] & 0x1F;
      long length;
      if (info < 24) {
        return info;
      } else if (info == 24) {
        length = unsigned(1);
        if (length < 24) {
          throw nonShortest(start);
        }
      } else if (info == 25) {
        length = unsigned(2);
        if (length < 0x100) {
          throw nonShortest(start);
        }
      } else if (info == 26) {
        length = unsigned(4);
        if (length < 0x10000) {
          throw nonShortest(start);
        }
      } else {
        throw new MalformedException("unsupported or indefinite length at offset " + start);
      }
      if (length > data.length - position) {
        throw new MalformedException("length " + length + " at offset " + start
            + " runs past the end (" + (data.length - position) + " bytes left)");
      }
      return (int) length;
    }

    byte[] take(int length, String what) throws MalformedException {
      if (length > data.length - position) {
        throw new MalformedException(what + " runs past the end at offset " + position);
      }
      byte[] out = Arrays.copyOfRange(data, position, position + length);
      position += length;
      return out;
    }

    private long unsigned(int bytes) throws MalformedException {
      if (bytes > data.length - position) {
        throw new MalformedException("truncated length at offset " + position);
      }
      long value = 0;
      for (int i = 0; i < bytes; i++) {
        value = (value << 8) | (data[position++] & 0xFF);
      }
      return value;
    }

    private static MalformedException nonShortest(int offset) {
      return new MalformedException("length at offset " + offset + " is not in its shortest form");
    }
  }
}
