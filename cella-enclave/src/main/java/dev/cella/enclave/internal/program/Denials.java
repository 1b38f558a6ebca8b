package dev.cella.enclave.internal.program;

import java.io.FileNotFoundException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * A file access the program was refused, read from the exception that ended it: a path and
 * whether it was a write ({@code java.nio}'s {@code NoSuchFileException}, {@code
 * AccessDeniedException}, a read-only {@code FileSystemException}, or {@code java.io}'s {@code
 * FileNotFoundException} message {@code PATH (reason)}). {@link Hints} turns it into one line.
 *
 * <p>Stateless and thread-safe.
 */
final class Denials {
  /** A refused access. */
  record Denial(String path, boolean write) {}

  private Denials() {}

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
}
