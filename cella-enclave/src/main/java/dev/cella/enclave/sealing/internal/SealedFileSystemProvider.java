package dev.cella.enclave.sealing.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.spi.FileSystemProvider;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The provider of every sealed file system. Not installed (it is not in {@code
 * META-INF/services}): sealed file systems are opened by the enclave runtime, never by URI. Each
 * operation works on the path's own file system. Thread-safe (stateless).
 */
public final class SealedFileSystemProvider extends FileSystemProvider {
  /** The one instance. */
  public static final SealedFileSystemProvider INSTANCE = new SealedFileSystemProvider();

  private SealedFileSystemProvider() {}

  @Override
  public String getScheme() {
    return "cella-sealed";
  }

  @Override
  public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
    throw new UnsupportedOperationException(
        "sealed file systems are opened with SealedFileSystems.open(...), not by URI");
  }

  @Override
  public FileSystem getFileSystem(URI uri) {
    throw new UnsupportedOperationException(
        "sealed file systems are not reachable by URI; use the FileSystem you opened");
  }

  @Override
  public Path getPath(URI uri) {
    throw new UnsupportedOperationException(
        "sealed file systems are not reachable by URI; use FileSystem.getPath");
  }

  @Override
  public SeekableByteChannel newByteChannel(
      Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
    refuseAttributes(attrs);
    return SealedByteChannel.open(sealed(path), options);
  }

  @Override
  public DirectoryStream<Path> newDirectoryStream(
      Path dir, DirectoryStream.Filter<? super Path> filter) throws IOException {
    SealedPath path = sealed(dir);
    return new SealedDirectoryStream(dir, store(path).childNames(path.storeKey()), filter);
  }

  @Override
  public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
    refuseAttributes(attrs);
    SealedPath path = sealed(dir);
    store(path).createDirectory(path.storeKey());
  }

  @Override
  public void delete(Path path) throws IOException {
    SealedPath p = sealed(path);
    store(p).delete(p.storeKey());
  }

  @Override
  public void copy(Path source, Path target, CopyOption... options) throws IOException {
    boolean replace = false;
    boolean copyAttributes = false;
    for (CopyOption option : options) {
      if (option == StandardCopyOption.REPLACE_EXISTING) {
        replace = true;
      } else if (option == StandardCopyOption.COPY_ATTRIBUTES) {
        copyAttributes = true;
      } else if (option != LinkOption.NOFOLLOW_LINKS) {
        throw new UnsupportedOperationException(
            "copy option " + option + " is not supported by sealed file systems");
      }
    }
    SealedPath from = sealed(source);
    store(from).copy(from.storeKey(), SealedPath.of(target, from.getFileSystem()).storeKey(), replace,
        copyAttributes);
  }

  /** Moves atomically (one manifest commit), so {@code ATOMIC_MOVE} is accepted. */
  @Override
  public void move(Path source, Path target, CopyOption... options) throws IOException {
    boolean replace = false;
    for (CopyOption option : options) {
      if (option == StandardCopyOption.REPLACE_EXISTING) {
        replace = true;
      } else if (option != StandardCopyOption.ATOMIC_MOVE
          && option != StandardCopyOption.COPY_ATTRIBUTES && option != LinkOption.NOFOLLOW_LINKS) {
        throw new UnsupportedOperationException(
            "move option " + option + " is not supported by sealed file systems");
      }
    }
    SealedPath from = sealed(source);
    store(from).move(
        from.storeKey(), SealedPath.of(target, from.getFileSystem()).storeKey(), replace);
  }

  @Override
  public boolean isSameFile(Path path, Path path2) throws IOException {
    SealedPath a = sealed(path);
    if (!(path2 instanceof SealedPath b) || b.getFileSystem() != a.getFileSystem()) {
      return false;
    }
    if (a.storeKey().equals(b.storeKey())) {
      return true;
    }
    attributes(a);
    attributes(b);
    return false;
  }

  @Override
  public boolean isHidden(Path path) {
    sealed(path);
    return false;
  }

  @Override
  public FileStore getFileStore(Path path) {
    throw new UnsupportedOperationException(
        "sealed file systems have no FileStore: the host's space is not the enclave's to report");
  }

  /** Succeeds for an existing path and READ or WRITE; sealed files are never executable. */
  @Override
  public void checkAccess(Path path, AccessMode... modes) throws IOException {
    SealedPath p = sealed(path);
    attributes(p);
    for (AccessMode mode : modes) {
      if (mode == AccessMode.EXECUTE) {
        throw new AccessDeniedException(p.toString(), null, "sealed files are not executable");
      }
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public <V extends FileAttributeView> V getFileAttributeView(
      Path path, Class<V> type, LinkOption... options) {
    SealedPath p = sealed(path);
    return type == BasicFileAttributeView.class ? (V) new SealedAttributes.View(p) : null;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <A extends BasicFileAttributes> A readAttributes(
      Path path, Class<A> type, LinkOption... options) throws IOException {
    if (type != BasicFileAttributes.class) {
      throw new UnsupportedOperationException(
          type.getSimpleName() + " is not supported; sealed files have basic attributes only");
    }
    return (A) attributes(sealed(path));
  }

  @Override
  public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options)
      throws IOException {
    return attributes(sealed(path)).toMap(attributes);
  }

  /** Sets {@code basic:lastModifiedTime} or {@code basic:creationTime}; nothing else is settable. */
  @Override
  public void setAttribute(Path path, String attribute, Object value, LinkOption... options)
      throws IOException {
    String name = attribute.startsWith("basic:") ? attribute.substring(6) : attribute;
    if (!(value instanceof FileTime time)
        || !(name.equals("lastModifiedTime") || name.equals("creationTime"))) {
      throw new UnsupportedOperationException("only basic:lastModifiedTime and "
          + "basic:creationTime (FileTime values) can be set on sealed files, not " + attribute);
    }
    SealedPath p = sealed(path);
    long nanos = time.to(TimeUnit.NANOSECONDS);
    boolean modified = name.equals("lastModifiedTime");
    store(p).setTimes(p.storeKey(), modified ? nanos : null, modified ? null : nanos);
  }

  @Override
  public FileChannel newFileChannel(
      Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) {
    throw new UnsupportedOperationException("sealed file systems have no FileChannel (no "
        + "mapping or locking); use Files.newByteChannel, newInputStream or newOutputStream");
  }

  @Override
  public AsynchronousFileChannel newAsynchronousFileChannel(Path path,
      Set<? extends OpenOption> options, ExecutorService executor, FileAttribute<?>... attrs) {
    throw new UnsupportedOperationException(
        "sealed file systems have no asynchronous channels; use Files.newByteChannel");
  }

  @Override
  public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs) {
    throw new UnsupportedOperationException("sealed file systems have no symbolic links");
  }

  @Override
  public void createLink(Path link, Path existing) {
    throw new UnsupportedOperationException("sealed file systems have no hard links");
  }

  @Override
  public Path readSymbolicLink(Path link) {
    throw new UnsupportedOperationException("sealed file systems have no symbolic links");
  }

  /** The attributes of {@code path}, or {@link NoSuchFileException}. */
  static SealedAttributes attributes(SealedPath path) throws NoSuchFileException {
    String key = path.storeKey();
    Entry entry = store(path).entryOrNull(key);
    if (entry == null) {
      throw new NoSuchFileException(key);
    }
    return new SealedAttributes(entry);
  }

  private static SealedStore store(SealedPath path) {
    return path.getFileSystem().store();
  }

  private static SealedPath sealed(Path path) {
    if (path instanceof SealedPath sealed) {
      return sealed;
    }
    throw new java.nio.file.ProviderMismatchException(
        "not a sealed path: " + (path == null ? "null" : path.getClass().getName()));
  }

  private static void refuseAttributes(FileAttribute<?>... attrs) {
    if (attrs.length > 0) {
      throw new UnsupportedOperationException("file attribute " + attrs[0].name()
          + " cannot be set at creation on sealed file systems");
    }
  }
}
