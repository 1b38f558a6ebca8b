package dev.cella.enclave.internal.program;

import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The sealed mounts of the running program: enclave paths whose files live in a sealed file
 * system. {@link MountingFileSystemProvider} consults this table on every operation; it is empty
 * until the program starts, so the JVM's own start-up sees the plain file system.
 *
 * <p>Thread-safe: the table is replaced whole, and read without locking.
 */
public final class Mounts {
  /** One sealed mount: everything at or under {@code enclavePath} is in {@code fileSystem}. */
  record Sealed(String enclavePath, FileSystem fileSystem) {}

  /** Where a path lands: a path of a sealed file system, or null for the plain file system. */
  record Target(Sealed mount, Path sealedPath) {}

  private static volatile List<Sealed> table = List.of();

  private Mounts() {}

  /** Adds a sealed mount; the longest matching mount wins. */
  static synchronized void add(String enclavePath, FileSystem fileSystem) {
    List<Sealed> next = new ArrayList<>(table);
    next.add(new Sealed(enclavePath, fileSystem));
    next.sort(Comparator.comparingInt((Sealed s) -> s.enclavePath().length()).reversed());
    table = List.copyOf(next);
  }

  /** Whether any sealed mount is active. */
  static boolean any() {
    return !table.isEmpty();
  }

  /** The sealed target of an absolute, normalized path, or null when no sealed mount holds it. */
  static Target targetOrNull(String absolute) {
    for (Sealed mount : table) {
      String root = mount.enclavePath();
      if (absolute.equals(root)) {
        return new Target(mount, mount.fileSystem().getPath("/"));
      }
      if (absolute.startsWith(root) && absolute.charAt(root.length()) == '/') {
        return new Target(mount, mount.fileSystem().getPath(absolute.substring(root.length())));
      }
    }
    return null;
  }
}
