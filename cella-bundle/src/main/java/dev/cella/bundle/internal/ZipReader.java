package dev.cella.bundle.internal;

import dev.cella.bundle.InvalidBundleException;
import dev.cella.bundle.InvalidBundleException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A strict reader of a ZIP archive held in memory. It accepts only the plain form a bundle needs:
 * one disk, no ZIP64, no encryption, no archive or entry comments, STORED or DEFLATED entries laid
 * out back to back from offset 0 and followed directly by the central directory and its end
 * record. Every local header must agree with its central directory record (name, flags, method,
 * time, CRC and sizes), and every entry's content must match its CRC and sizes. Extra fields,
 * "version made by" and file attributes are read past and not interpreted.
 */
public final class ZipReader {
  /**
   * One entry: its name, its uncompressed content (null for an entry read as listed only), and
   * the uncompressed size and CRC-32 its headers declare.
   */
  public record Entry(String name, byte[] content, long size, int crc) {}

  private static final int LOCAL = 0x04034b50;
  private static final int CENTRAL = 0x02014b50;
  private static final int END = 0x06054b50;
  private static final int DESCRIPTOR = 0x08074b50;
  private static final int END_SIZE = 22;
  /** Flag bits accepted: 1-2 (deflate level hints), 3 (data descriptor), 11 (UTF-8 names). */
  private static final int ALLOWED_FLAGS = 0x0002 | 0x0004 | 0x0008 | 0x0800;
  /** The first buffer for an entry's inflated content; it doubles as the content arrives. */
  private static final int FIRST_INFLATE_BUFFER = 64 << 10;

  private final ByteBuffer zip;
  private final int length;
  private final int maxEntries;
  private final Predicate<String> listedOnly;
  private long contentBudget;

  private ZipReader(ByteBuffer zip, int maxEntries, long maxContentBytes,
      Predicate<String> listedOnly) {
    this.zip = zip;
    this.length = zip.limit();
    this.maxEntries = maxEntries;
    this.contentBudget = maxContentBytes;
    this.listedOnly = listedOnly;
  }

  /**
   * The entries of {@code zip} in archive order.
   *
   * @param maxEntries the most entries accepted
   * @param maxContentBytes the most uncompressed bytes accepted over all entries
   */
  public static List<Entry> read(byte[] zip, int maxEntries, long maxContentBytes)
      throws InvalidBundleException {
    return new ZipReader(ByteBuffer.wrap(zip), maxEntries, maxContentBytes, name -> false)
        .entries();
  }

  /**
   * The entries of {@code zip} in archive order, with every check of {@link #read} but that the
   * entries {@code listedOnly} accepts are neither unpacked nor checked against their CRC: their
   * content is null, and their declared size and CRC are all there is of them. For a reader that
   * takes those entries' contents from elsewhere (a runtime that measures the jars it loads).
   * The archive may be a mapped file: the listed entries' data is never read, so never paged in.
   */
  public static List<Entry> list(ByteBuffer zip, int maxEntries, long maxContentBytes,
      Predicate<String> listedOnly) throws InvalidBundleException {
    return new ZipReader(zip, maxEntries, maxContentBytes, listedOnly).entries();
  }

  private List<Entry> entries() throws InvalidBundleException {
    if (length < END_SIZE || !(u32(0) == LOCAL || u32(0) == END)) {
      throw new InvalidBundleException(Reason.NOT_A_BUNDLE,
          "not a bundle: the file is not a ZIP archive (a .cella file is made by cella package)");
    }
    int end = length - END_SIZE;
    if (u32(end) != END) {
      throw corrupt("the archive does not end with a ZIP end record"
          + " (truncated, or trailing bytes or an archive comment, which bundles do not allow)");
    }
    if (u16(end + 4) != 0 || u16(end + 6) != 0) {
      throw corrupt("multi-disk archives are not bundles");
    }
    int count = u16(end + 8);
    long cdSize = u32(end + 12) & 0xFFFFFFFFL;
    long cdOffset = u32(end + 16) & 0xFFFFFFFFL;
    if (u16(end + 10) != count || count == 0xFFFF || cdSize == 0xFFFFFFFFL || cdOffset == 0xFFFFFFFFL) {
      throw corrupt("the ZIP end record is inconsistent or asks for ZIP64, which bundles do not use");
    }
    if (u16(end + 20) != 0) {
      throw corrupt("the archive has a comment, which bundles do not allow");
    }
    if (count > maxEntries) {
      throw new InvalidBundleException(Reason.TOO_LARGE,
          "the bundle has " + count + " entries; at most " + maxEntries + " are allowed");
    }
    if (cdOffset + cdSize != end) {
      throw corrupt("the central directory does not end where the ZIP end record starts");
    }
    List<Entry> entries = new ArrayList<>(count);
    int cd = (int) cdOffset;
    int local = 0;
    for (int i = 0; i < count; i++) {
      Central c = central(cd, end);
      cd = c.next;
      local = readLocal(c, local, entries);
    }
    if (cd != end) {
      throw corrupt("the central directory holds more than the " + count + " entries it declares");
    }
    if (local != cdOffset) {
      throw corrupt("there are bytes between the last entry and the central directory");
    }
    return entries;
  }

  private record Central(String name, byte[] nameBytes, int versionNeeded, int flags, int method,
      int time, int date, int crc, long compressedSize, long size, long localOffset, int next) {}

  private Central central(int at, int end) throws InvalidBundleException {
    need(at, 46, end, "central directory");
    if (u32(at) != CENTRAL) {
      throw corrupt("a central directory record is missing or damaged at offset " + at);
    }
    int nameLength = u16(at + 28);
    int extraLength = u16(at + 30);
    int commentLength = u16(at + 32);
    need(at + 46, nameLength + extraLength + commentLength, end, "central directory");
    byte[] nameBytes = copy(at + 46, nameLength);
    String name = name(nameBytes);
    int flags = u16(at + 8);
    checkFlags(name, flags);
    if (commentLength != 0) {
      throw corrupt("entry " + name + " has a comment, which bundles do not allow");
    }
    if (u16(at + 34) != 0) {
      throw corrupt("entry " + name + " claims to start on another disk");
    }
    long compressed = u32(at + 20) & 0xFFFFFFFFL;
    long size = u32(at + 24) & 0xFFFFFFFFL;
    long offset = u32(at + 42) & 0xFFFFFFFFL;
    if (compressed == 0xFFFFFFFFL || size == 0xFFFFFFFFL || offset == 0xFFFFFFFFL) {
      throw corrupt("entry " + name + " uses ZIP64, which bundles do not use");
    }
    return new Central(name, nameBytes, u16(at + 6), flags, u16(at + 10), u16(at + 12),
        u16(at + 14), u32(at + 16), compressed, size, offset,
        at + 46 + nameLength + extraLength + commentLength);
  }

  /** Reads the local header and data of {@code c}, which must start at {@code at}; returns the end. */
  private int readLocal(Central c, int at, List<Entry> out) throws InvalidBundleException {
    String name = c.name;
    if (c.localOffset != at) {
      throw corrupt("entry " + name + " is not where the central directory says,"
          + " or entries are not stored back to back");
    }
    need(at, 30, length, "entry " + name);
    if (u32(at) != LOCAL) {
      throw corrupt("the local header of entry " + name + " is missing or damaged");
    }
    int nameLength = u16(at + 26);
    int extraLength = u16(at + 28);
    need(at + 30, nameLength + extraLength, length, "entry " + name);
    if (!Arrays.equals(copy(at + 30, nameLength), c.nameBytes)) {
      throw disagree(name, "name");
    }
    if (u16(at + 4) != c.versionNeeded) {
      throw disagree(name, "version needed");
    }
    if (u16(at + 6) != c.flags) {
      throw disagree(name, "flags");
    }
    if (u16(at + 8) != c.method) {
      throw disagree(name, "compression method");
    }
    if (u16(at + 10) != c.time || u16(at + 12) != c.date) {
      throw disagree(name, "time");
    }
    boolean descriptor = (c.flags & 0x0008) != 0;
    int crc = u32(at + 14);
    long compressed = u32(at + 18) & 0xFFFFFFFFL;
    long size = u32(at + 22) & 0xFFFFFFFFL;
    boolean zeros = crc == 0 && compressed == 0 && size == 0;
    if (!(descriptor && zeros) && (crc != c.crc || compressed != c.compressedSize || size != c.size)) {
      throw disagree(name, "CRC or sizes");
    }
    int data = at + 30 + nameLength + extraLength;
    need(data, c.compressedSize, length, "entry " + name);
    int next = data + (int) c.compressedSize;
    if (descriptor) {
      next = descriptorEnd(c, next);
    }
    byte[] content = listedOnly.test(name) ? null : content(c, data);
    out.add(new Entry(name, content, c.size, c.crc));
    return next;
  }

  private int descriptorEnd(Central c, int at) throws InvalidBundleException {
    if (at + 16 <= length && u32(at) == DESCRIPTOR && matchesDescriptor(c, at + 4)) {
      return at + 16;
    }
    if (at + 12 <= length && matchesDescriptor(c, at)) {
      return at + 12;
    }
    throw disagree(c.name, "data descriptor");
  }

  private boolean matchesDescriptor(Central c, int at) {
    return u32(at) == c.crc && (u32(at + 4) & 0xFFFFFFFFL) == c.compressedSize
        && (u32(at + 8) & 0xFFFFFFFFL) == c.size;
  }

  private byte[] content(Central c, int data) throws InvalidBundleException {
    if (c.size > contentBudget || c.size > Integer.MAX_VALUE - 16) {
      throw new InvalidBundleException(Reason.TOO_LARGE, "entry " + c.name + " unpacks to "
          + c.size + " bytes, more than the bundle reader accepts in total");
    }
    contentBudget -= c.size;
    int size = (int) c.size;
    byte[] content;
    if (c.method == 0) {
      if (c.compressedSize != c.size) {
        throw corrupt("stored entry " + c.name + " has different compressed and plain sizes");
      }
      content = copy(data, size);
    } else if (c.method == 8) {
      content = inflate(c, data, size);
    } else {
      throw corrupt("entry " + c.name + " uses compression method " + c.method
          + "; bundles use only STORED (0) and DEFLATED (8)");
    }
    CRC32 crc = new CRC32();
    crc.update(content);
    if ((int) crc.getValue() != c.crc) {
      throw corrupt("the content of entry " + c.name + " does not match its CRC (the file is damaged)");
    }
    return content;
  }

  private byte[] inflate(Central c, int data, int size) throws InvalidBundleException {
    Inflater inflater = new Inflater(true);
    try {
      inflater.setInput(zip.slice(data, (int) c.compressedSize));
      // The declared size is a claim until the data backs it: grow the buffer as it inflates, so
      // that a small archive cannot make the reader allocate what its headers declare.
      byte[] out = new byte[Math.min(size, FIRST_INFLATE_BUFFER)];
      int n = 0;
      while (n < size) {
        if (n == out.length) {
          out = Arrays.copyOf(out, (int) Math.min(size, 2L * out.length));
        }
        int k = inflater.inflate(out, n, out.length - n);
        if (k == 0) {
          break;
        }
        n += k;
      }
      if (n != size || (!inflater.finished() && inflater.inflate(new byte[1]) != 0)
          || !inflater.finished() || inflater.getRemaining() != 0) {
        throw corrupt("the compressed data of entry " + c.name + " does not match its declared sizes");
      }
      return out;
    } catch (DataFormatException e) {
      throw corrupt("the compressed data of entry " + c.name + " is damaged");
    } finally {
      inflater.end();
    }
  }

  private String name(byte[] bytes) throws InvalidBundleException {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new InvalidBundleException(Reason.UNEXPECTED_ENTRY,
          "an entry name is not valid UTF-8; bundle entry names are ASCII paths");
    }
  }

  private void checkFlags(String name, int flags) throws InvalidBundleException {
    if ((flags & 0x0041) != 0) {
      throw corrupt("entry " + name + " is encrypted; bundles are never encrypted");
    }
    if ((flags & ~ALLOWED_FLAGS) != 0) {
      throw corrupt("entry " + name + " uses ZIP features bundles do not (flags 0x"
          + Integer.toHexString(flags) + ")");
    }
  }

  private void need(int at, long length, int limit, String what) throws InvalidBundleException {
    if (at < 0 || at + length > limit) {
      throw corrupt(what + " runs past the end of its area (truncated or damaged archive)");
    }
  }

  private InvalidBundleException disagree(String name, String field) {
    return corrupt("the local header of entry " + name
        + " disagrees with the central directory (" + field + ")");
  }

  private static InvalidBundleException corrupt(String problem) {
    return new InvalidBundleException(Reason.CORRUPT_ARCHIVE, "corrupt bundle: " + problem);
  }

  private int u16(int at) {
    return (zip.get(at) & 0xFF) | (zip.get(at + 1) & 0xFF) << 8;
  }

  private int u32(int at) {
    return (zip.get(at) & 0xFF) | (zip.get(at + 1) & 0xFF) << 8 | (zip.get(at + 2) & 0xFF) << 16
        | (zip.get(at + 3) & 0xFF) << 24;
  }

  /** A copy of {@code length} bytes at {@code at}, which the caller has checked are inside. */
  private byte[] copy(int at, int length) {
    byte[] bytes = new byte[length];
    zip.get(at, bytes, 0, length);
    return bytes;
  }
}
