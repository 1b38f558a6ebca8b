package dev.cella.enclave.sealing.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A path of a sealed file system: Unix-like, {@code /} separated, absolute or relative; relative
 * paths resolve against the root, which is the working directory. Names may be any non-empty
 * string without {@code /} or NUL, up to 255 UTF-8 bytes; a whole path up to 4096. There are no
 * links, so {@link #toRealPath} is the normalized absolute path of an existing file.
 *
 * <p>Immutable and thread-safe.
 */
public final class SealedPath implements Path {
  static final int MAX_NAME_BYTES = 255;
  static final int MAX_PATH_BYTES = 4096;

  private final SealedFileSystem fs;
  private final boolean absolute;
  private final String[] names;

  private SealedPath(SealedFileSystem fs, boolean absolute, String[] names) {
    this.fs = fs;
    this.absolute = absolute;
    this.names = names;
  }

  /** Parses {@code first} and {@code more} joined by {@code /}; empty names are dropped. */
  static SealedPath parse(SealedFileSystem fs, String first, String... more) {
    StringBuilder joined = new StringBuilder(first);
    for (String part : more) {
      if (!part.isEmpty()) {
        joined.append('/').append(part);
      }
    }
    String text = joined.toString();
    if (text.indexOf('\0') >= 0) {
      throw new InvalidPathException(text, "a sealed path cannot contain NUL");
    }
    if (text.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
      throw new InvalidPathException(abbreviate(text), "longer than " + MAX_PATH_BYTES + " bytes");
    }
    List<String> parts = new ArrayList<>();
    for (String name : text.split("/")) {
      if (name.isEmpty()) {
        continue;
      }
      if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
        throw new InvalidPathException(abbreviate(text), "a name is longer than " + MAX_NAME_BYTES
            + " bytes");
      }
      parts.add(name);
    }
    return new SealedPath(fs, text.startsWith("/"), parts.toArray(String[]::new));
  }

  static SealedPath root(SealedFileSystem fs) {
    return new SealedPath(fs, true, new String[0]);
  }

  /** The store key of this path: absolute and normalized. */
  String storeKey() {
    SealedPath normal = (SealedPath) toAbsolutePath().normalize();
    return normal.names.length == 0 ? StorePaths.ROOT : "/" + String.join("/", normal.names);
  }

  /** {@code path} as a sealed path of {@code fs}, or a {@link ProviderMismatchException}. */
  static SealedPath of(Path path, SealedFileSystem fs) {
    if (path instanceof SealedPath sealed && sealed.fs == fs) {
      return sealed;
    }
    throw new ProviderMismatchException(
        "not a path of this sealed file system: " + (path == null ? "null" : path.getClass()));
  }

  @Override
  public SealedFileSystem getFileSystem() {
    return fs;
  }

  @Override
  public boolean isAbsolute() {
    return absolute;
  }

  @Override
  public Path getRoot() {
    return absolute ? root(fs) : null;
  }

  @Override
  public Path getFileName() {
    return names.length == 0 ? null : new SealedPath(fs, false, new String[] {names[names.length - 1]});
  }

  @Override
  public Path getParent() {
    if (names.length == 0 || (names.length == 1 && !absolute)) {
      return null;
    }
    return new SealedPath(fs, absolute, Arrays.copyOf(names, names.length - 1));
  }

  @Override
  public int getNameCount() {
    return names.length;
  }

  @Override
  public Path getName(int index) {
    if (index < 0 || index >= names.length) {
      throw new IllegalArgumentException("no name " + index + " in " + this);
    }
    return new SealedPath(fs, false, new String[] {names[index]});
  }

  @Override
  public Path subpath(int beginIndex, int endIndex) {
    if (beginIndex < 0 || endIndex > names.length || beginIndex >= endIndex) {
      throw new IllegalArgumentException(
          "no names " + beginIndex + " to " + endIndex + " in " + this);
    }
    return new SealedPath(fs, false, Arrays.copyOfRange(names, beginIndex, endIndex));
  }

  @Override
  public boolean startsWith(Path other) {
    if (!(other instanceof SealedPath o) || o.fs != fs || o.absolute != absolute
        || o.names.length > names.length) {
      return false;
    }
    return Arrays.equals(names, 0, o.names.length, o.names, 0, o.names.length);
  }

  @Override
  public boolean endsWith(Path other) {
    if (!(other instanceof SealedPath o) || o.fs != fs || o.names.length > names.length) {
      return false;
    }
    if (o.absolute) {
      return equals(o);
    }
    int offset = names.length - o.names.length;
    return Arrays.equals(names, offset, names.length, o.names, 0, o.names.length);
  }

  @Override
  public Path normalize() {
    List<String> out = new ArrayList<>();
    for (String name : names) {
      if (name.equals(".")) {
        continue;
      }
      if (name.equals("..")) {
        if (!out.isEmpty() && !out.getLast().equals("..")) {
          out.removeLast();
          continue;
        }
        if (absolute) {
          continue;
        }
      }
      out.add(name);
    }
    return new SealedPath(fs, absolute, out.toArray(String[]::new));
  }

  @Override
  public Path resolve(Path other) {
    SealedPath o = of(other, fs);
    if (o.absolute) {
      return o;
    }
    String[] joined = Arrays.copyOf(names, names.length + o.names.length);
    System.arraycopy(o.names, 0, joined, names.length, o.names.length);
    return new SealedPath(fs, absolute, joined);
  }

  @Override
  public Path relativize(Path other) {
    SealedPath o = of(other, fs);
    if (o.absolute != absolute) {
      throw new IllegalArgumentException("cannot relativize " + other + " against " + this
          + ": one is absolute, the other is not");
    }
    int common = 0;
    while (common < names.length && common < o.names.length
        && names[common].equals(o.names[common])) {
      common++;
    }
    List<String> out = new ArrayList<>();
    for (int i = common; i < names.length; i++) {
      out.add("..");
    }
    out.addAll(Arrays.asList(o.names).subList(common, o.names.length));
    return new SealedPath(fs, false, out.toArray(String[]::new));
  }

  @Override
  public URI toUri() {
    throw new UnsupportedOperationException("sealed paths have no URI: a sealed file system is "
        + "reached through the enclave context, not by URI");
  }

  @Override
  public Path toAbsolutePath() {
    return absolute ? this : new SealedPath(fs, true, names);
  }

  @Override
  public Path toRealPath(LinkOption... options) throws IOException {
    SealedPath real = (SealedPath) toAbsolutePath().normalize();
    if (fs.store().entryOrNull(real.storeKey()) == null) {
      throw new NoSuchFileException(real.toString());
    }
    return real;
  }

  @Override
  public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events,
      WatchEvent.Modifier... modifiers) {
    throw new UnsupportedOperationException("sealed file systems have no watch service");
  }

  @Override
  public int compareTo(Path other) {
    return toString().compareTo(of(other, fs).toString());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SealedPath p && p.fs == fs && p.absolute == absolute
        && Arrays.equals(p.names, names);
  }

  @Override
  public int hashCode() {
    return Boolean.hashCode(absolute) * 31 + Arrays.hashCode(names);
  }

  @Override
  public String toString() {
    String joined = String.join("/", names);
    return absolute ? "/" + joined : joined;
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 60) + "…";
  }
}
