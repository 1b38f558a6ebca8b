package dev.cella.protocol.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Host-side storage for a sealed store in one directory of the host's file system, one file per
 * object. This is untrusted code in the security sense: the enclave verifies everything it reads
 * back, and it works for the {@code sim} backend, tests, and as the host half of the isolated
 * backends' host calls.
 *
 * <p>{@link #writeAtomically} writes a temporary file in the same directory, forces it to disk,
 * renames it over the object atomically and forces the directory, so that after a crash the
 * object holds the old or the new bytes, and the new ones once the call returned. Temporary files
 * that a crash left behind are deleted when an instance is created. The directory is created
 * owner-only ({@code rwx------}) where the file system has POSIX permissions.
 *
 * <pre>{@code
 * SealedStorageHost host = new DirectorySealedStorageHost(Path.of(cellaHome, "sealed", "app"));
 * }</pre>
 *
 * <p>Thread-safe. One directory per store.
 */
public final class DirectorySealedStorageHost implements SealedStorageHost {
  private static final Pattern NAME = Pattern.compile("[a-z0-9]{1,64}");
  private static final Pattern TEMPORARY = Pattern.compile("[a-z0-9]{1,64}\\.[0-9a-f]{16}\\.tmp");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path directory;

  /** Storage in {@code directory}, created (owner-only) if missing. */
  public DirectorySealedStorageHost(Path directory) throws IOException {
    this.directory = directory.toAbsolutePath();
    if (!Files.isDirectory(this.directory)) {
      createOwnerOnly(this.directory);
    }
    try (Stream<Path> files = Files.list(this.directory)) {
      for (Path file : files.toList()) {
        if (TEMPORARY.matcher(file.getFileName().toString()).matches()) {
          Files.deleteIfExists(file);
        }
      }
    }
  }

  /** The directory that holds the objects. */
  public Path directory() {
    return directory;
  }

  @Override
  public byte[] readOrNull(String name) throws IOException {
    try {
      return Files.readAllBytes(object(name));
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  @Override
  public void writeAtomically(String name, byte[] bytes) throws IOException {
    Path target = object(name);
    byte[] suffix = new byte[8];
    RANDOM.nextBytes(suffix);
    Path temporary = directory.resolve(name + "." + HexFormat.of().formatHex(suffix) + ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(
          temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temporary);
      throw e;
    }
    forceDirectory();
  }

  @Override
  public void delete(String name) throws IOException {
    Files.deleteIfExists(object(name));
  }

  @Override
  public List<String> list() throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(p -> p.getFileName().toString())
          .filter(n -> NAME.matcher(n).matches())
          .toList();
    }
  }

  private Path object(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a sealed storage object name: " + name);
    }
    return directory.resolve(name);
  }

  /** Makes the rename durable: on Linux a directory is forced through a read-only channel. */
  private void forceDirectory() throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  private static void createOwnerOnly(Path directory) throws IOException {
    try {
      if (directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.createDirectories(directory.getParent());
        Files.createDirectory(directory,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectories(directory);
      }
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(directory)) {
        throw e;
      }
    }
  }
}
