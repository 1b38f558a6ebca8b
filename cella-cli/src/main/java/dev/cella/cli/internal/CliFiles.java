package dev.cella.cli.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** File helpers for commands: reading with clear errors, and atomic writes. */
public final class CliFiles {
  /** The largest input file a command reads whole (bundles have their own, lower limit). */
  public static final long MAX_INPUT_BYTES = 512L << 20;

  private CliFiles() {}

  /** Reads {@code file}, {@code what} naming it in errors ("jar", "config file", …). */
  public static byte[] read(Path file, String what) {
    if (!Files.exists(file)) {
      throw CliException.failure("no such " + what + ": " + file);
    }
    if (Files.isDirectory(file)) {
      throw CliException.failure("the " + what + " " + file + " is a folder, not a file");
    }
    try {
      if (Files.size(file) > MAX_INPUT_BYTES) {
        throw CliException.failure("the " + what + " " + file + " is larger than 512 MiB");
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw CliException.failure("no such " + what + ": " + file);
    } catch (IOException e) {
      throw CliException.failure("cannot read the " + what + " " + file + ": " + ErrorHandler.message(e), e);
    }
  }

  /** Requires {@code file} to exist as a regular file. */
  public static void requireFile(Path file, String what) {
    if (!Files.exists(file)) {
      throw CliException.failure("no such " + what + ": " + file);
    }
    if (!Files.isRegularFile(file)) {
      throw CliException.failure("the " + what + " " + file + " is not a regular file");
    }
  }

  /** Writes {@code content} to {@code target} atomically (temporary file, then rename), mode 0644. */
  public static void writeAtomically(Path target, byte[] content) {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw CliException.failure("cannot write " + target + ": its folder does not exist");
    }
    Path temp = null;
    try {
      temp = Files.createTempFile(dir, "." + absolute.getFileName(), ".tmp");
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer b = ByteBuffer.wrap(content);
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true);
      }
      if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
      }
      try {
        Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw CliException.failure("cannot write " + target + ": " + ErrorHandler.message(e), e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // The temporary file is hidden and harmless; the write itself already failed or succeeded.
        }
      }
    }
  }
}
