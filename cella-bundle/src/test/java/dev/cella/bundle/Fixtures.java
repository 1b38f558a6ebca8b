package dev.cella.bundle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Small jars, manifests and hand-made archives for the bundle tests. */
final class Fixtures {
  private Fixtures() {}

  /** A jar holding one text file. */
  static byte[] jar(String file, String content) {
    return zip(List.of(Map.entry(file, content.getBytes(StandardCharsets.UTF_8))), true,
        LocalDateTime.of(2024, 5, 6, 7, 8, 10));
  }

  static Manifest manifest() {
    return Manifest.builder().name("demo").entry("com.example.App").productId(7).svn(2).build();
  }

  /** A signed bundle with two small jars. */
  static byte[] signedBundle(BundleSigningKey key) {
    return builder().buildSigned(key);
  }

  static BundleBuilder builder() {
    return BundleBuilder.create(manifest())
        .addLibrary("app.jar", jar("com/example/App.class", "not really a class"))
        .addLibrary("cella-enclave.jar", jar("dev/cella/Runtime.class", "runtime"));
  }

  /**
   * A ZIP of {@code entries} in the given order, each STORED or DEFLATED, with the given time: to
   * build archives that {@code BundleBuilder} would never write.
   */
  static byte[] zip(List<Map.Entry<String, byte[]>> entries, boolean deflate, LocalDateTime time) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> e : entries) {
        ZipEntry entry = new ZipEntry(e.getKey());
        entry.setTimeLocal(time);
        if (deflate) {
          entry.setMethod(ZipEntry.DEFLATED);
        } else {
          entry.setMethod(ZipEntry.STORED);
          entry.setSize(e.getValue().length);
          CRC32 crc = new CRC32();
          crc.update(e.getValue());
          entry.setCrc(crc.getValue());
        }
        zip.putNextEntry(entry);
        zip.write(e.getValue());
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The entries of a bundle as an ordered list, for rebuilding it with changes. */
  static List<Map.Entry<String, byte[]>> entries(byte[] bundle) {
    java.util.ArrayList<Map.Entry<String, byte[]>> list = new java.util.ArrayList<>();
    try (java.util.zip.ZipInputStream in =
        new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(bundle))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        list.add(Map.entry(e.getName(), in.readAllBytes()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return list;
  }

  /** {@code bundle} rezipped (valid ZIP) with entry {@code name} replaced by {@code content}. */
  static byte[] replace(byte[] bundle, String name, byte[] content) {
    List<Map.Entry<String, byte[]>> list = new java.util.ArrayList<>();
    boolean found = false;
    for (Map.Entry<String, byte[]> e : entries(bundle)) {
      if (e.getKey().equals(name)) {
        list.add(Map.entry(name, content));
        found = true;
      } else {
        list.add(e);
      }
    }
    if (!found) {
      throw new IllegalArgumentException("no entry " + name);
    }
    return zip(list, false, LocalDateTime.of(1980, 1, 1, 0, 0));
  }

  /** {@code bundle} rezipped with an extra entry. */
  static byte[] with(byte[] bundle, String name, byte[] content) {
    List<Map.Entry<String, byte[]>> list = new java.util.ArrayList<>(entries(bundle));
    list.add(Map.entry(name, content));
    return zip(list, false, LocalDateTime.of(1980, 1, 1, 0, 0));
  }

  /** {@code bundle} rezipped without entry {@code name}. */
  static byte[] without(byte[] bundle, String name) {
    List<Map.Entry<String, byte[]>> list = new java.util.ArrayList<>(entries(bundle));
    list.removeIf(e -> e.getKey().equals(name));
    return zip(list, false, LocalDateTime.of(1980, 1, 1, 0, 0));
  }

  /** The content of entry {@code name}. */
  static byte[] entry(byte[] bundle, String name) {
    return entries(bundle).stream().filter(e -> e.getKey().equals(name)).findFirst()
        .orElseThrow().getValue();
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
