package dev.cella.bundle.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/** Reading and writing PEM (RFC 7468) blocks. */
public final class Pem {
  /** One block: its label ({@code PRIVATE KEY}, {@code CERTIFICATE}, …) and DER content. */
  public record Block(String label, byte[] der) {}

  /** The text is not PEM, or a block is damaged. */
  public static final class PemException extends Exception {
    private static final long serialVersionUID = 1L;

    PemException(String message) {
      super(message);
    }
  }

  private static final String BEGIN = "-----BEGIN ";
  private static final String END = "-----END ";
  private static final String DASHES = "-----";

  private Pem() {}

  /**
   * The blocks of {@code text} (ASCII/UTF-8); text outside blocks is ignored, as RFC 7468 allows.
   * The caller should wipe the returned DER of secret blocks after use.
   */
  public static List<Block> parse(byte[] text) throws PemException {
    List<Block> blocks = new ArrayList<>();
    List<byte[]> lines = lines(text);
    for (int i = 0; i < lines.size(); i++) {
      String line = ascii(lines.get(i));
      if (!line.startsWith(BEGIN) || !line.endsWith(DASHES) || line.length() < BEGIN.length() + 6) {
        continue;
      }
      String label = line.substring(BEGIN.length(), line.length() - DASHES.length());
      String endLine = END + label + DASHES;
      int bodyLength = 0;
      int j = i + 1;
      for (; j < lines.size() && !ascii(lines.get(j)).equals(endLine); j++) {
        byte[] l = lines.get(j);
        if (ascii(l).startsWith(DASHES)) {
          break;
        }
        if (ascii(l).contains(":")) {
          throw new PemException("the " + label + " block has headers (Proc-Type/DEK-Info):"
              + " it is an encrypted legacy key");
        }
        bodyLength += l.length;
      }
      if (j == lines.size() || !ascii(lines.get(j)).equals(endLine)) {
        throw new PemException("the " + label + " block has no matching '" + endLine + "' line");
      }
      // Sized by this block's lines, not by the whole text: one buffer per block of the text's
      // size made a file of many small blocks allocate quadratically in its length.
      byte[] body = new byte[bodyLength];
      for (int k = i + 1, at = 0; k < j; k++) {
        System.arraycopy(lines.get(k), 0, body, at, lines.get(k).length);
        at += lines.get(k).length;
      }
      try {
        blocks.add(new Block(label, Base64.getDecoder().decode(body)));
      } catch (IllegalArgumentException e) {
        throw new PemException("the " + label + " block is not valid base64");
      } finally {
        Arrays.fill(body, (byte) 0);
      }
      i = j;
    }
    for (byte[] l : lines) {
      Arrays.fill(l, (byte) 0);
    }
    if (blocks.isEmpty()) {
      throw new PemException("it is not a PEM file (no -----BEGIN ...----- line)");
    }
    return blocks;
  }

  /** A PEM block with 64-character lines and a final newline. */
  public static byte[] write(String label, byte[] der) {
    byte[] base64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encode(der);
    byte[] begin = (BEGIN + label + DASHES + "\n").getBytes(StandardCharsets.US_ASCII);
    byte[] end = ("\n" + END + label + DASHES + "\n").getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[begin.length + base64.length + end.length];
    System.arraycopy(begin, 0, out, 0, begin.length);
    System.arraycopy(base64, 0, out, begin.length, base64.length);
    System.arraycopy(end, 0, out, begin.length + base64.length, end.length);
    Arrays.fill(base64, (byte) 0);
    return out;
  }

  /** Lines without their line ends and surrounding spaces; only the armour lines become Strings. */
  private static List<byte[]> lines(byte[] text) {
    List<byte[]> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= text.length; i++) {
      if (i == text.length || text[i] == '\n') {
        int s = start;
        int e = i;
        while (s < e && (text[s] == ' ' || text[s] == '\t' || text[s] == '\r')) {
          s++;
        }
        while (e > s && (text[e - 1] == ' ' || text[e - 1] == '\t' || text[e - 1] == '\r')) {
          e--;
        }
        lines.add(Arrays.copyOfRange(text, s, e));
        start = i + 1;
      }
    }
    return lines;
  }

  /** Armour lines are ASCII; base64 lines become Strings only for the dash and colon checks. */
  private static String ascii(byte[] line) {
    if (line.length > 0 && line[0] != '-' && indexOf(line, (byte) ':') < 0) {
      return "";
    }
    return new String(line, StandardCharsets.US_ASCII);
  }

  private static int indexOf(byte[] a, byte b) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
