package dev.cella.enclave.internal.program;

import java.io.FileNotFoundException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.ReadOnlyFileSystemException;

/**
 * The last file access the program was refused, as the file system saw it: a path and whether it
 * was a write. Recorded by {@link MountingFileSystemProvider} for {@code java.nio.file} calls, and
 * read from the program's uncaught exception otherwise; {@link Hints} turns it into one line.
 *
 * <p>Thread-safe.
 */
final class Denials {
  /** A refused access. */
  record Denial(String path, boolean write) {}

  private static volatile Denial last;

  private Denials() {}

  /** Notes {@code e} if it says a file was missing, denied or on a read-only file system. */
  static void note(String absolutePath, Throwable e, boolean write) {
    Denial denial = fromException(e, absolutePath, write);
    if (denial != null) {
      last = denial;
    }
  }

  /** The last refused access, or null. */
  static Denial lastOrNull() {
    return last;
  }

  /** The refused access that {@code t} or one of its causes describes, or null. */
  static Denial inChain(Throwable t) {
    for (int depth = 0; t != null && depth < 32; depth++, t = t.getCause()) {
      Denial d = fromException(t, null, false);
      if (d != null) {
        return d;
      }
    }
    return null;
  }

  private static Denial fromException(Throwable e, String pathOrNull, boolean write) {
    if (e instanceof NoSuchFileException || e instanceof AccessDeniedException) {
      String file = ((FileSystemException) e).getFile();
      return new Denial(pathOrNull != null ? pathOrNull : file,
          write || isReadOnly(((FileSystemException) e).getReason()));
    }
    if (e instanceof FileSystemException fse && isReadOnly(fse.getReason())) {
      return new Denial(pathOrNull != null ? pathOrNull : fse.getFile(), true);
    }
    if (e instanceof ReadOnlyFileSystemException && pathOrNull != null) {
      return new Denial(pathOrNull, true);
    }
    if (e instanceof FileNotFoundException && e.getMessage() != null) {
      // java.io: "PATH (No such file or directory)", "PATH (Read-only file system)".
      String message = e.getMessage();
      int open = message.lastIndexOf(" (");
      if (open > 0 && message.startsWith("/")) {
        return new Denial(message.substring(0, open), isReadOnly(message.substring(open)));
      }
    }
    return null;
  }

  private static boolean isReadOnly(String reason) {
    return reason != null && reason.contains("Read-only file system");
  }

  /** For tests. */
  static void clear() {
    last = null;
  }
}
