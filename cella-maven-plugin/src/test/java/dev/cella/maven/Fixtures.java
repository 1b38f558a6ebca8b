package dev.cella.maven;

import dev.cella.maven.internal.BundleAssembler;
import dev.cella.testing.TestBundles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Real jars for the plugin's tests: the enclave runtime, and the classes of a package. */
public final class Fixtures {
  private Fixtures() {}

  /** The enclave runtime of the test class path, written as jar files into {@code dir}. */
  public static List<BundleAssembler.Jar> runtime(Path dir) throws IOException {
    List<BundleAssembler.Jar> jars = new ArrayList<>();
    Files.createDirectories(dir);
    for (Map.Entry<String, byte[]> jar : TestBundles.runtimeJars().entrySet()) {
      Path file = Files.write(dir.resolve(jar.getKey()), jar.getValue());
      jars.add(new BundleAssembler.Jar(jar.getKey(), file));
    }
    return jars;
  }

  /** A jar of the compiled classes of {@code member}'s package, entries dated now. */
  public static Path packageJar(Class<?> member, Path file) throws IOException {
    return packageJar(member, file, System.currentTimeMillis());
  }

  /** A jar of the compiled classes of {@code member}'s package (not its subpackages). */
  public static Path packageJar(Class<?> member, Path file, long time) throws IOException {
    Path root;
    try {
      root = Path.of(member.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
    String prefix = member.getPackageName().replace('.', '/');
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes); Stream<Path> files = Files.list(root.resolve(prefix))) {
      for (Path f : files.sorted().toList()) {
        ZipEntry entry = new ZipEntry(prefix + "/" + f.getFileName());
        entry.setTime(time);
        zip.putNextEntry(entry);
        zip.write(Files.readAllBytes(f));
        zip.closeEntry();
      }
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    return Files.write(file, bytes.toByteArray());
  }
}
