package dev.cella.backend.vm;

import dev.cella.Bytes;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The initramfs QEMU boots for one enclave: a copy of the cached base image followed by a second
 * archive — the kernel unpacks concatenated archives in order —
 * holding the bundle ({@code /cella/bundle.cella}), its jars ({@code /cella/lib/}), the JVM
 * options and the message limit. The base digest is the image's {@code vm-initrd}; the appended
 * archive is covered by the bundle measurement, which the runtime re-measures inside.
 *
 * <p>Thread-safe; stateless.
 */
final class LaunchArchive {
  private LaunchArchive() {}

  /**
   * Writes {@code target}: {@code base} (copied by the file system), then the bundle's archive.
   *
   * @param jvmOptions whitespace-free options, joined with spaces for the init script
   */
  static void write(Path base, Path target, Path bundle, List<Path> jars,
      List<String> jvmOptions, int maxMessageBytes) throws IOException {
    Files.copy(base, target);
    try (OutputStream out = new BufferedOutputStream(
        Files.newOutputStream(target, StandardOpenOption.APPEND), 1 << 16)) {
      List<Path> sorted = new ArrayList<>(jars);
      sorted.sort(Comparator.comparing(p -> p.getFileName().toString()));
      try (NewcArchive cpio = new NewcArchive(out)) {
        cpio.file("cella/bundle.cella", false, bundle);
        cpio.file("cella/jvm-options", false,
            (String.join(" ", jvmOptions) + "\n").getBytes(StandardCharsets.UTF_8));
        cpio.directory("cella/lib");
        for (Path jar : sorted) {
          String name = jar.getFileName().toString();
          if (name.contains("/") || name.contains(" ") || !name.endsWith(".jar")) {
            throw new IOException("the bundle's jar name '" + name + "' cannot be a guest file");
          }
          cpio.file("cella/lib/" + name, false, jar);
        }
        cpio.file("cella/max-message-bytes", false,
            (maxMessageBytes + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  /** SHA-384 of a file. */
  static Bytes sha384(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-384");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      int read;
      while ((read = in.read(buffer)) > 0) {
        digest.update(buffer, 0, read);
      }
    }
    return Bytes.of(digest.digest());
  }
}
