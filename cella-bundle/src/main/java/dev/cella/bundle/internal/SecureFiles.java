package dev.cella.bundle.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writing files so that they are never readable by others (0600 from the moment they exist) and,
 * when replacing, never seen half-written (a temporary file in the same folder, then a rename).
 */
public final class SecureFiles {
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

  private SecureFiles() {}

  /**
   * Writes {@code content} to {@code target} with owner-only permissions. Without {@code replace},
   * an existing file is an error ({@link java.nio.file.FileAlreadyExistsException}) and the file
   * is created exclusively; with it, the content appears atomically under the name.
   */
  public static void writeOwnerOnly(Path target, byte[] content, boolean replace) throws IOException {
    Path absolute = target.toAbsolutePath();
    if (!replace) {
      try (FileChannel ch = FileChannel.open(absolute, Set.of(StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE), ownerOnly(absolute.getParent(), false))) {
        try {
          write(ch, content);
        } catch (IOException e) {
          Files.deleteIfExists(absolute);
          throw e;
        }
      }
      return;
    }
    Path dir = absolute.getParent();
    Path temp = Files.createTempFile(dir, "." + absolute.getFileName(), ".tmp", ownerOnly(dir, false));
    try {
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        write(ch, content);
      }
      move(temp, absolute);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Writes {@code content} to {@code target} atomically (temporary file, then rename). */
  public static void writeAtomically(Path target, byte[] content) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    Path temp = Files.createTempFile(dir, "." + absolute.getFileName(), ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        write(ch, content);
      }
      if (isPosix(dir)) {
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
      }
      move(temp, absolute);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Creates {@code dir} (and parents) if absent; a created folder is owner-only. */
  public static void createOwnerOnlyDirectories(Path dir) throws IOException {
    Path absolute = dir.toAbsolutePath();
    if (Files.isDirectory(absolute)) {
      return;
    }
    Path parent = absolute.getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.createDirectory(absolute, ownerOnly(parent, true));
  }

  private static void move(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void write(FileChannel ch, byte[] content) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(content);
    while (buffer.hasRemaining()) {
      ch.write(buffer);
    }
    ch.force(true);
  }

  private static FileAttribute<?>[] ownerOnly(Path dir, boolean directory) {
    if (!isPosix(dir)) {
      return new FileAttribute<?>[0];
    }
    return new FileAttribute<?>[] {
        PosixFilePermissions.asFileAttribute(directory ? OWNER_DIR : OWNER_ONLY)};
  }

  private static boolean isPosix(Path dir) {
    Path probe = dir == null ? Path.of("").toAbsolutePath() : dir;
    return probe.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
