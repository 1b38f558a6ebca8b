package dev.cella.enclave.internal.program;

import java.io.IOException;
import java.net.URI;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Objects;

/**
 * A path of the enclave's default file system ({@link MountingFileSystem}): a plain path of the
 * JDK's own default file system, wrapped so that every operation on it reaches {@link
 * MountingFileSystemProvider}, which decides whether it lands on a sealed mount.
 *
 * <p>Immutable and thread-safe.
 */
final class MountPath implements Path {
  private final MountingFileSystem fs;
  private final Path delegate;

  MountPath(MountingFileSystem fs, Path delegate) {
    this.fs = fs;
    this.delegate = Objects.requireNonNull(delegate);
  }

  /** The JDK's path this one wraps. */
  Path delegate() {
    return delegate;
  }

  static Path unwrap(Path path) {
    if (path instanceof MountPath mp) {
      return mp.delegate;
    }
    throw new ProviderMismatchException("not a path of the default file system: "
        + (path == null ? "null" : path.getClass().getName()));
  }

  private Path wrap(Path p) {
    return p == null ? null : new MountPath(fs, p);
  }

  @Override
  public MountingFileSystem getFileSystem() {
    return fs;
  }

  @Override
  public boolean isAbsolute() {
    return delegate.isAbsolute();
  }

  @Override
  public Path getRoot() {
    return wrap(delegate.getRoot());
  }

  @Override
  public Path getFileName() {
    return wrap(delegate.getFileName());
  }

  @Override
  public Path getParent() {
    return wrap(delegate.getParent());
  }

  @Override
  public int getNameCount() {
    return delegate.getNameCount();
  }

  @Override
  public Path getName(int index) {
    return wrap(delegate.getName(index));
  }

  @Override
  public Path subpath(int beginIndex, int endIndex) {
    return wrap(delegate.subpath(beginIndex, endIndex));
  }

  @Override
  public boolean startsWith(Path other) {
    return other instanceof MountPath mp && delegate.startsWith(mp.delegate);
  }

  @Override
  public boolean startsWith(String other) {
    return delegate.startsWith(other);
  }

  @Override
  public boolean endsWith(Path other) {
    return other instanceof MountPath mp && delegate.endsWith(mp.delegate);
  }

  @Override
  public boolean endsWith(String other) {
    return delegate.endsWith(other);
  }

  @Override
  public Path normalize() {
    return wrap(delegate.normalize());
  }

  @Override
  public Path resolve(Path other) {
    return wrap(delegate.resolve(unwrap(other)));
  }

  @Override
  public Path resolve(String other) {
    return wrap(delegate.resolve(other));
  }

  @Override
  public Path resolveSibling(Path other) {
    return wrap(delegate.resolveSibling(unwrap(other)));
  }

  @Override
  public Path resolveSibling(String other) {
    return wrap(delegate.resolveSibling(other));
  }

  @Override
  public Path relativize(Path other) {
    return wrap(delegate.relativize(unwrap(other)));
  }

  @Override
  public URI toUri() {
    return delegate.toUri();
  }

  @Override
  public Path toAbsolutePath() {
    return wrap(delegate.toAbsolutePath());
  }

  /** On a sealed mount (which has no links): the absolute, normalized path, if it exists. */
  @Override
  public Path toRealPath(LinkOption... options) throws IOException {
    Mounts.Target target = fs.provider().targetOrNull(this);
    if (target != null) {
      target.sealedPath().toRealPath(options);
      return toAbsolutePath().normalize();
    }
    return wrap(delegate.toRealPath(options));
  }

  @Override
  public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events,
      WatchEvent.Modifier... modifiers) throws IOException {
    if (fs.provider().targetOrNull(this) != null) {
      throw new UnsupportedOperationException("sealed mounts have no watch service: " + this);
    }
    return delegate.register(watcher, events, modifiers);
  }

  @Override
  public int compareTo(Path other) {
    return delegate.compareTo(unwrap(other));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MountPath mp && delegate.equals(mp.delegate);
  }

  @Override
  public int hashCode() {
    return delegate.hashCode();
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
