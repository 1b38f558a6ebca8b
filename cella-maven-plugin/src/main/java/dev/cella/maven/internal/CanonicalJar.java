package dev.cella.maven.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Rewrites a jar so that its bytes depend only on its entries' names and contents: the manifest
 * first, then every other entry sorted by name, all STORED (no dependence on the zlib version),
 * one fixed time stamp without time zone, no extra fields, no comments. The project's own jar
 * goes into the bundle in this form, so two builds of the same sources give the same measurement
 * even when the project does not set {@code project.build.outputTimestamp}.
 *
 * <p>Stateless and thread-safe.
 */
public final class CanonicalJar {
  /** The time stamp of every entry (the bundle format's fixed time). */
  public static final LocalDateTime FIXED_TIME = LocalDateTime.of(2026, 1, 1, 0, 0);
  private static final String MANIFEST_DIR = "META-INF/";
  private static final String MANIFEST = "META-INF/MANIFEST.MF";

  private CanonicalJar() {}

  /**
   * The canonical form of {@code jar}.
   *
   * @throws IOException if it is not a readable ZIP archive, or names an entry twice
   */
  public static byte[] rewrite(byte[] jar) throws IOException {
    Map<String, byte[]> entries = new TreeMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(jar))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        if (entries.put(e.getName(), e.isDirectory() ? new byte[0] : in.readAllBytes()) != null) {
          throw new ZipException("the jar names the entry " + e.getName() + " twice");
        }
      }
    }
    if (entries.isEmpty()) {
      throw new ZipException("not a jar: no entries");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(jar.length + 1024);
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      byte[] manifestDir = entries.remove(MANIFEST_DIR);
      byte[] manifest = entries.remove(MANIFEST);
      if (manifestDir != null) {
        put(zip, MANIFEST_DIR, manifestDir);
      }
      if (manifest != null) {
        put(zip, MANIFEST, manifest);
      }
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        put(zip, e.getKey(), e.getValue());
      }
    }
    return out.toByteArray();
  }

  private static void put(ZipOutputStream zip, String name, byte[] content) throws IOException {
    ZipEntry entry = new ZipEntry(name);
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
}
