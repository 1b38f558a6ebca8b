package dev.cella.bundle.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes bundles deterministically: entries sorted by path, all STORED (jars are compressed
 * already, and STORED does not depend on the zlib version), every time stamp 2026-01-01 00:00 (DOS time, no zone), no
 * extra fields, no comments. The same entries always give the same bytes.
 */
public final class ZipWriter {
  /**
   * The time stamp written on every entry, as a DOS date and time without time zone. Not the DOS
   * epoch 1980-01-01 00:00: the JDK takes that for "before 1980" and adds an extended-timestamp
   * extra field that depends on the local time zone.
   */
  public static final LocalDateTime FIXED_TIME = LocalDateTime.of(2026, 1, 1, 0, 0);

  private ZipWriter() {}

  /** The archive of {@code entries} (path → content). */
  public static byte[] write(Map<String, byte[]> entries) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> e : new TreeMap<>(entries).entrySet()) {
        byte[] content = e.getValue();
        ZipEntry entry = new ZipEntry(e.getKey());
        entry.setMethod(ZipEntry.STORED);
        entry.setTimeLocal(FIXED_TIME);
        entry.setSize(content.length);
        entry.setCompressedSize(content.length);
        CRC32 crc = new CRC32();
        crc.update(content);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(content);
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing a ZIP archive to memory failed", e);
    }
    return bytes.toByteArray();
  }
}
