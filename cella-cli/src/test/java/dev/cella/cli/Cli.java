package dev.cella.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import dev.cella.testing.TestBundles;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** Runs {@link Main} in-process and captures its output; plus small jar and ZIP helpers. */
final class Cli {
  record Result(int status, String out, String err) {
    @Override
    public String toString() {
      return "status " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private Cli() {}

  static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** A folder with the real enclave runtime jars of this class path, set as {@code cella.runtime.dir}. */
  static Path runtime(Path dir) throws IOException {
    Path runtime = Files.createDirectories(dir.resolve("runtime"));
    for (Map.Entry<String, byte[]> jar : TestBundles.runtimeJars().entrySet()) {
      Files.write(runtime.resolve(jar.getKey()), jar.getValue());
    }
    System.setProperty("cella.runtime.dir", runtime.toString());
    return runtime;
  }

  /** The file names of the runtime jars in {@code runtime}, sorted. */
  static List<String> runtimeNames(Path runtime) throws IOException {
    try (var files = Files.list(runtime)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  /** A jar of the test application classes in package {@code com.example} (real class files). */
  static byte[] appJar() throws IOException {
    Path classes;
    try {
      classes = Path.of(com.example.App.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IOException(e);
    }
    List<Map.Entry<String, byte[]>> entries = new ArrayList<>();
    try (var files = Files.list(classes.resolve("com/example"))) {
      for (Path f : files.sorted().toList()) {
        entries.add(Map.entry("com/example/" + f.getFileName(), Files.readAllBytes(f)));
      }
    }
    return zip(entries);
  }

  /** A jar holding the given (fake) class files. */
  static byte[] jar(String... files) {
    List<Map.Entry<String, byte[]>> entries = new ArrayList<>();
    for (String f : files) {
      entries.add(Map.entry(f, ("content of " + f).getBytes(StandardCharsets.UTF_8)));
    }
    return zip(entries);
  }

  static List<Map.Entry<String, byte[]>> entries(byte[] zip) {
    List<Map.Entry<String, byte[]>> list = new ArrayList<>();
    try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        list.add(Map.entry(e.getName(), in.readAllBytes()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return list;
  }

  /** A valid STORED ZIP of {@code entries}, in order. */
  static byte[] zip(List<Map.Entry<String, byte[]>> entries) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> e : entries) {
        ZipEntry entry = new ZipEntry(e.getKey());
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(e.getValue().length);
        CRC32 crc = new CRC32();
        crc.update(e.getValue());
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(e.getValue());
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** {@code bundle} rezipped with entry {@code name} replaced. */
  static byte[] replace(byte[] bundle, String name, byte[] content) {
    List<Map.Entry<String, byte[]>> list = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : entries(bundle)) {
      list.add(e.getKey().equals(name) ? Map.entry(name, content) : e);
    }
    return zip(list);
  }
}
