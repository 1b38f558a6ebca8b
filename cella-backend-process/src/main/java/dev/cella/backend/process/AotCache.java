package dev.cella.backend.process;

import dev.cella.attestation.platform.SoftwarePlatform;
import dev.cella.spi.LaunchRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A JDK AOT cache (JEP 483, 514, 515) for the enclave's JVM, one per bundle content and JDK: the
 * runtime's and the bundle's classes loaded and linked, and method profiles, from a training run,
 * so that a later start skips most class loading. The first start of a bundle runs without one
 * and then trains one in the background, in a sandbox like the enclave's (the runner's {@code
 * --train} mode: it makes itself non-dumpable, re-measures the bundle and exercises the
 * transport, but runs no application code) that writes only to a fresh owner-only folder; the
 * host moves the result into {@code $CELLA_HOME/cache/process-aot/KEY.aot} (folder 0700, file
 * 0600). The key is a SHA-256 of the JDK, the child JVM's options, the bundle's measurement and
 * its jars' names and sizes; the JVM itself checks that the class path's files have the same names, sizes
 * and modification times as in training, so the host gives the jars a fixed modification time.
 *
 * <p><b>Trust.</b> The cache is input from the host to the enclave's JVM that the enclave does
 * not measure: the JVM checks only the JDK build and the class path's names, sizes and times, not
 * the classes' bytes, so a tampered cache can make the enclave run other code than it measured.
 * It is therefore as trusted as the JDK the host binds into the sandbox, which is not measured
 * either: only the host's user can write it (neither an enclave nor the training run ever sees
 * the cache folder writable, and other users cannot enter it). Turn it off with {@code
 * -Dcella.process.aotCache=false}.
 *
 * <p>Thread-safe.
 */
final class AotCache {
  private static final System.Logger LOG = System.getLogger(AotCache.class.getName());
  /** Inside the sandbox: where the cache is bound read-only. */
  static final String INSIDE = "/cella/runner.aot";
  /** Inside the training sandbox: the only writable folder. */
  static final String TRAINING_OUT = "/cella/aot-out";
  private static final String OUTPUT_NAME = "runner.aot";
  /** The modification time every class path jar gets, so that a cache matches later starts. */
  private static final FileTime JAR_TIME = FileTime.from(Instant.parse("2000-01-01T00:00:00Z"));
  private static final long TRAINING_TIMEOUT_MINUTES = 5;

  private final Path folder;
  private final Set<String> training = ConcurrentHashMap.newKeySet();

  AotCache(Path folder) {
    this.folder = folder;
  }

  /** The cache in Cella's home, or none when turned off. */
  static Optional<AotCache> fromSystem() {
    if (!Boolean.parseBoolean(System.getProperty("cella.process.aotCache", "true"))) {
      return Optional.empty();
    }
    return Optional.of(new AotCache(
        SoftwarePlatform.defaultHome().resolve("cache").resolve("process-aot")));
  }

  /** The key of a launch: JDK, JVM options, bundle contents. */
  static String key(LaunchRequest request, List<String> jvmOptions) throws IOException {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      StringBuilder text = new StringBuilder("cella-process-aot-1\n")
          .append(System.getProperty("java.home")).append('\n')
          .append(System.getProperty("java.vm.version")).append('\n')
          .append(String.join(" ", jvmOptions)).append('\n')
          .append(request.identity().measurement()).append('\n');
      for (Path jar : request.classPath()) {
        text.append(jar.getFileName()).append(' ').append(Files.size(jar)).append('\n');
      }
      return HexFormat.of().formatHex(sha.digest(text.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** Gives the jars the fixed modification time the cache was trained with. */
  static void fixJarTimes(List<Path> classPath) throws IOException {
    for (Path jar : classPath) {
      Files.setLastModifiedTime(jar, JAR_TIME);
    }
  }

  /**
   * The cache file for {@code key}, when there is one that only this user can have written: a
   * regular file of this user, neither it nor its folder writable by group or others.
   */
  Optional<Path> lookup(String key) {
    Path file = folder.resolve(key + ".aot");
    try {
      if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.size(file) > 0
          && ownedAndPrivate(file) && ownedAndPrivate(folder)) {
        return Optional.of(file);
      }
    } catch (IOException | UnsupportedOperationException e) {
      // No usable cache.
    }
    return Optional.empty();
  }

  private static boolean ownedAndPrivate(Path path) throws IOException {
    Set<PosixFilePermission> permissions =
        Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
    UserPrincipal me = path.getFileSystem().getUserPrincipalLookupService()
        .lookupPrincipalByName(System.getProperty("user.name"));
    return me.equals(Files.getOwner(path, LinkOption.NOFOLLOW_LINKS))
        && !permissions.contains(PosixFilePermission.GROUP_WRITE)
        && !permissions.contains(PosixFilePermission.OTHERS_WRITE);
  }

  /**
   * Trains the cache for {@code key} in the background with {@code command} (made by {@link
   * Sandbox#trainingCommand} for the output folder given to {@code commandFor}), unless this JVM
   * already does.
   */
  void trainInBackground(String key, java.util.function.Function<Path, List<String>> commandFor) {
    if (lookup(key).isPresent() || !training.add(key)) {
      return;
    }
    Thread.ofPlatform().daemon().name("cella-aot-training").start(() -> {
      try {
        train(key, commandFor);
      } catch (IOException | RuntimeException e) {
        LOG.log(System.Logger.Level.DEBUG, "no AOT cache for the enclave JVM: {0}", e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        training.remove(key);
      }
    });
  }

  private void train(String key, java.util.function.Function<Path, List<String>> commandFor)
      throws IOException, InterruptedException {
    Files.createDirectories(folder.getParent());
    if (!Files.isDirectory(folder)) {
      Files.createDirectory(folder,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    // Named after this host, so that the folder of a host that dies while training (its
    // training run dies with it) is swept by the next training, as channel folders are.
    Path out = ChannelFolders.create(folder, "training");
    try {
      Process process = new ProcessBuilder(commandFor.apply(out))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      process.getOutputStream().close();
      if (!process.waitFor(TRAINING_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        return;
      }
      Path result = out.resolve(OUTPUT_NAME);
      if (process.exitValue() == 0
          && Files.isRegularFile(result, LinkOption.NOFOLLOW_LINKS) && Files.size(result) > 0) {
        Files.setPosixFilePermissions(result, PosixFilePermissions.fromString("rw-------"));
        Files.move(result, folder.resolve(key + ".aot"), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      try (Stream<Path> files = Files.walk(out)) {
        for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /** The JVM option that writes the cache at the end of a training run. */
  static String trainingOption() {
    return "-XX:AOTCacheOutput=" + TRAINING_OUT + "/" + OUTPUT_NAME;
  }

  /** The JVM option that uses the cache bound at {@link #INSIDE}. */
  static String useOption() {
    return "-XX:AOTCache=" + INSIDE;
  }
}
