package dev.cella.bundle.internal;

import java.util.regex.Pattern;

/**
 * Validation of the names and paths that appear in a manifest and in a bundle's entry list. Each
 * check throws {@link IllegalArgumentException} with a message that names the field.
 */
public final class Names {
  private static final Pattern BUNDLE_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  private static final Pattern LIBRARY_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,199}\\.jar");
  private static final Pattern HOST_NAME =
      Pattern.compile("(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
          + "(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
  private static final int MAX_CLASS_NAME = 1024;
  private static final int MAX_PATH = 4096;

  private Names() {}

  /** A bundle name: {@code [a-z0-9][a-z0-9._-]{0,63}}. */
  public static void checkBundleName(String name) {
    if (name == null || !BUNDLE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "name must match [a-z0-9][a-z0-9._-]{0,63} (lower case, at most 64 characters), got "
              + quote(name));
    }
  }

  /** A library file name as stored under {@code lib/}: a plain file name ending in {@code .jar}. */
  public static void checkLibraryName(String name) {
    if (name == null || !LIBRARY_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "a library name is a plain file name of letters, digits and . _ + - ending in .jar"
              + " (at most 204 characters), got " + quote(name));
    }
  }

  /** A fully qualified binary class name such as {@code com.example.Outer$Inner}. */
  public static void checkClassName(String what, String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException(what + " class name is required");
    }
    if (name.length() > MAX_CLASS_NAME) {
      throw new IllegalArgumentException(what + " class name is longer than " + MAX_CLASS_NAME);
    }
    for (String part : name.split("\\.", -1)) {
      if (!isIdentifier(part)) {
        throw new IllegalArgumentException(
            what + " must be a fully qualified Java class name, got " + quote(name));
      }
    }
  }

  /** An absolute, normalized Unix path without {@code .} or {@code ..} segments. */
  public static void checkAbsolutePath(String what, String path) {
    if (path == null || path.isEmpty()) {
      throw new IllegalArgumentException(what + " is required");
    }
    if (path.length() > MAX_PATH || path.indexOf('\0') >= 0 || path.indexOf('\\') >= 0) {
      throw new IllegalArgumentException(what + " is not a usable path: " + quote(path));
    }
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException(what + " must be an absolute path, got " + quote(path));
    }
    if (path.length() > 1) {
      for (String segment : path.substring(1).split("/", -1)) {
        if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
          throw new IllegalArgumentException(
              what + " must be normalized (no empty, . or .. segments, no trailing /), got "
                  + quote(path));
        }
      }
    }
  }

  /** A DNS name, IPv4 address or IPv6 address (without brackets). */
  public static void checkHost(String host) {
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("connect host is required");
    }
    boolean ok = host.indexOf(':') >= 0 ? IPV6.matcher(host).matches() : HOST_NAME.matcher(host).matches();
    if (!ok) {
      throw new IllegalArgumentException("connect host is not a host name or address: " + quote(host));
    }
  }

  /** A TCP port, 1 to 65535. */
  public static void checkPort(String what, int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(what + " must be 1 to 65535, got " + port);
    }
  }

  /** {@code s} in quotes, shortened, with control characters escaped, for error messages. */
  public static String quote(String s) {
    if (s == null) {
      return "nothing";
    }
    StringBuilder b = new StringBuilder("'");
    for (int i = 0; i < s.length() && i < 80; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append(s.length() > 80 ? "…'" : "'").toString();
  }

  private static boolean isIdentifier(String part) {
    if (part.isEmpty() || !Character.isJavaIdentifierStart(part.codePointAt(0))) {
      return false;
    }
    return part.codePoints().allMatch(cp -> Character.isJavaIdentifierPart(cp) && !Character.isIdentifierIgnorable(cp));
  }
}
