package dev.cella.enclave.sealing.internal;

/**
 * Helpers for the store's path keys: absolute, normalized strings such as {@code /}, {@code /a}
 * and {@code /a/b}. Stateless and thread-safe.
 */
final class StorePaths {
  static final String ROOT = "/";

  private StorePaths() {}

  /** The parent of a non-root path. */
  static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash == 0 ? ROOT : path.substring(0, slash);
  }

  /** The last name of a non-root path. */
  static String name(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** The prefix that every descendant of {@code directory} starts with. */
  static String childPrefix(String directory) {
    return directory.equals(ROOT) ? ROOT : directory + "/";
  }

  /** Whether {@code path} is {@code ancestor} or lies below it. */
  static boolean isSameOrBelow(String path, String ancestor) {
    return path.equals(ancestor) || path.startsWith(childPrefix(ancestor));
  }
}
