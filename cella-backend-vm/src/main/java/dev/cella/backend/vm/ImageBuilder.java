package dev.cella.backend.vm;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Builds the VM's base initramfs from the machine's own packages and caches it by the content of
 * its inputs: {@code cacheBase/KEY/initramfs.cpio}, where KEY is a SHA-256 over the format
 * version, the init script, the kernel modules, busybox, the JDK ({@code release} file, size and
 * time of its {@code lib/modules}) and the JDK modules chosen. The archive holds {@code /init}
 * ({@link GuestInit}), {@code /bin/busybox}, the kernel modules of {@link GuestInit#MODULES},
 * {@code /jdk} ({@code jlink --add-modules … --strip-debug --no-header-files --no-man-pages
 * --generate-cds-archive}, without the archive for uncompressed pointers, its security providers
 * trimmed to its modules ({@link SecurityProviders})), and the shared
 * libraries the JDK needs ({@code ldd}), written with {@link NewcArchive} in sorted order so
 * that the same inputs give the same bytes (jlink's output, CDS archive included, is itself
 * reproducible for one JDK build; checked on this machine).
 *
 * <p>Thread-safe: builds are serialized by a file lock in {@code cacheBase}, also across JVMs;
 * a finished image is renamed into place atomically.
 */
final class ImageBuilder {
  static final int FORMAT = 2;
  private static final String ARCHIVE = "initramfs.cpio";
  private static final long JLINK_TIMEOUT_SECONDS = 300;
  private static final System.Logger LOG = System.getLogger(ImageBuilder.class.getName());

  private ImageBuilder() {}

  /** The cached base initramfs for {@code sources}, built first when it is not there yet. */
  static Path obtain(ImageSources sources, Path cacheBase) throws IOException {
    String key = key(sources);
    Path folder = cacheBase.resolve(key);
    Path archive = folder.resolve(ARCHIVE);
    if (Files.isRegularFile(archive)) {
      return archive;
    }
    Files.createDirectories(cacheBase);
    try (FileChannel lockFile = FileChannel.open(cacheBase.resolve(".lock"),
            StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = lockFile.lock()) {
      if (Files.isRegularFile(archive)) {
        return archive;
      }
      long start = System.nanoTime();
      Path work = Files.createTempDirectory(cacheBase, "build-");
      try {
        Path jdk = work.resolve("jdk");
        jlink(sources, jdk);
        Files.deleteIfExists(jdk.resolve("lib/server/classes_nocoops.jsa"));
        SecurityProviders.trim(jdk, sources.jdkModules());
        Path built = work.resolve(ARCHIVE);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(built), 1 << 16)) {
          write(sources, jdk, out);
        }
        Files.createDirectories(folder);
        Files.move(built, archive, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        deleteTree(work);
      }
      LOG.log(System.Logger.Level.INFO, "built the vm image {0} in {1} ms", archive,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
      return archive;
    }
  }

  /** Writes the archive's entries in sorted order. */
  static void write(ImageSources sources, Path jdk, OutputStream out) throws IOException {
    TreeMap<String, Entry> entries = new TreeMap<>();
    for (String dir : List.of("bin", "cella", "dev", "lib", "lib/modules", "proc", "sys", "tmp")) {
      entries.put(dir, Entry.directory());
    }
    entries.put("init", Entry.content(GuestInit.script().getBytes(StandardCharsets.UTF_8), true));
    entries.put("bin/busybox", Entry.file(sources.busybox(), true));
    for (String module : GuestInit.MODULES) {
      String name = module.substring(module.lastIndexOf('/') + 1);
      entries.put("lib/modules/" + name, Entry.file(sources.kernelModules().resolve(module), false));
    }
    addTree(entries, jdk, "jdk");
    for (Path library : SharedLibraries.of(jdk)) {
      addWithParents(entries, library);
    }
    try (NewcArchive cpio = new NewcArchive(out)) {
      for (var e : entries.entrySet()) {
        e.getValue().writeTo(cpio, e.getKey());
      }
    }
  }

  private static void addTree(TreeMap<String, Entry> entries, Path root, String prefix)
      throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        String relative = root.relativize(p).toString();
        String name = relative.isEmpty() ? prefix : prefix + "/" + relative;
        if (Files.isSymbolicLink(p)) {
          entries.put(name, Entry.link(Files.readSymbolicLink(p).toString()));
        } else if (Files.isDirectory(p)) {
          entries.put(name, Entry.directory());
        } else {
          entries.put(name, Entry.file(p, isExecutable(p)));
        }
      }
    }
  }

  /** A host library at its host path, with its folders; symbolic links are followed. */
  private static void addWithParents(TreeMap<String, Entry> entries, Path library) {
    String name = library.toString().substring(1);
    String[] parts = name.split("/");
    StringBuilder dir = new StringBuilder();
    for (int i = 0; i < parts.length - 1; i++) {
      dir.append(i == 0 ? "" : "/").append(parts[i]);
      entries.putIfAbsent(dir.toString(), Entry.directory());
    }
    entries.put(name, Entry.file(library, true));
  }

  private static boolean isExecutable(Path p) throws IOException {
    return Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)
        .contains(PosixFilePermission.OWNER_EXECUTE);
  }

  private static void jlink(ImageSources sources, Path output) throws IOException {
    List<String> command = List.of(sources.jdkHome().resolve("bin/jlink").toString(),
        "--add-modules", String.join(",", sources.jdkModules()), "--output", output.toString(),
        "--strip-debug", "--no-header-files", "--no-man-pages", "--generate-cds-archive");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] said;
    try {
      said = process.getInputStream().readAllBytes();
      if (!process.waitFor(JLINK_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("jlink did not finish in " + JLINK_TIMEOUT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while jlink ran", e);
    }
    if (process.exitValue() != 0) {
      String text = new String(said, StandardCharsets.UTF_8).strip();
      throw new IOException("jlink failed (" + process.exitValue() + "): "
          + text.substring(0, Math.min(500, text.length())));
    }
  }

  /** The cache key: SHA-256 over everything the archive is made of, hex. */
  static String key(ImageSources sources) throws IOException {
    MessageDigest key = sha256();
    line(key, "format=" + FORMAT);
    line(key, "init=" + hex(sha256().digest(GuestInit.script().getBytes(StandardCharsets.UTF_8))));
    line(key, "busybox=" + hashFile(sources.busybox()));
    for (String module : GuestInit.MODULES) {
      line(key, module + "=" + hashFile(sources.kernelModules().resolve(module)));
    }
    Path release = sources.jdkHome().resolve("release");
    line(key, "jdk-release=" + hex(sha256().digest(Files.readAllBytes(release))));
    Path modules = sources.jdkHome().resolve("lib/modules");
    line(key, "jdk-lib-modules=" + Files.size(modules) + "@"
        + Files.getLastModifiedTime(modules).toMillis());
    line(key, "jdk-modules=" + String.join(",", sources.jdkModules()));
    return hex(key.digest()).substring(0, 32);
  }

  private static void line(MessageDigest digest, String line) {
    digest.update((line + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private static String hashFile(Path file) throws IOException {
    MessageDigest digest = sha256();
    try (var in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      int read;
      while ((read = in.read(buffer)) > 0) {
        digest.update(buffer, 0, read);
      }
    }
    return hex(digest.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // Best effort.
        }
      });
    } catch (IOException ignored) {
      // Nothing to delete.
    }
  }

  /** One archive entry before it is written. */
  private sealed interface Entry {
    void writeTo(NewcArchive cpio, String name) throws IOException;

    static Entry directory() {
      return Directory.INSTANCE;
    }

    static Entry file(Path source, boolean executable) {
      return new FromFile(source, executable);
    }

    static Entry content(byte[] bytes, boolean executable) {
      return new Content(bytes, executable);
    }

    static Entry link(String target) {
      return new Link(target);
    }
  }

  private enum Directory implements Entry {
    INSTANCE;

    @Override
    public void writeTo(NewcArchive cpio, String name) throws IOException {
      cpio.directory(name);
    }
  }

  private record FromFile(Path source, boolean executable) implements Entry {
    @Override
    public void writeTo(NewcArchive cpio, String name) throws IOException {
      cpio.file(name, executable, source);
    }
  }

  private record Content(byte[] bytes, boolean executable) implements Entry {
    @Override
    public void writeTo(NewcArchive cpio, String name) throws IOException {
      cpio.file(name, executable, bytes);
    }
  }

  private record Link(String target) implements Entry {
    @Override
    public void writeTo(NewcArchive cpio, String name) throws IOException {
      cpio.symlink(name, target);
    }
  }
}
