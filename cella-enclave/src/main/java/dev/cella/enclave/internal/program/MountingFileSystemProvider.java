package dev.cella.enclave.internal.program;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.spi.FileSystemProvider;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * The enclave JVM's default {@link FileSystemProvider} in application mode ({@code
 * -Djava.nio.file.spi.DefaultFileSystemProvider=}this class): every {@code java.nio.file}
 * operation on a path under a sealed mount goes to that mount's sealed file system, so the host
 * keeps only ciphertext; everything else goes to the JDK's own provider unchanged. It also notes
 * the last access the plain file system refused ({@link Denials}), for the host's hint.
 *
 * <p>Covered: everything that reaches the default provider — {@code Files.*}, {@code
 * FileChannel.open}, {@code Path.of}/{@code Paths.get}, {@code File.toPath()} followed by {@code
 * Files}. Not covered: {@code java.io} ({@code FileInputStream}, {@code FileOutputStream}, {@code
 * RandomAccessFile}, {@code File.exists}/{@code list}/{@code delete}), which the JDK implements
 * without the provider; under a sealed mount they see an empty read-only folder and fail.
 *
 * <p>Thread-safe.
 */
public final class MountingFileSystemProvider extends FileSystemProvider {
  private final FileSystemProvider base;
  private final MountingFileSystem fileSystem;

  /** Called by the JDK with its own default provider. */
  public MountingFileSystemProvider(FileSystemProvider base) {
    this.base = base;
    this.fileSystem = new MountingFileSystem(this, base.getFileSystem(URI.create("file:///")));
  }

  private interface Op<T> {
    T on(FileSystemProvider provider, Path path) throws IOException;
  }

  /** The sealed target of {@code path}, or null when it lies on the plain file system. */
  Mounts.Target targetOrNull(Path path) {
    if (!Mounts.any()) {
      return null;
    }
    return Mounts.targetOrNull(absolute(path));
  }

  private static String absolute(Path path) {
    return MountPath.unwrap(path).toAbsolutePath().normalize().toString();
  }

  private <T> T route(Path path, boolean write, Op<T> op) throws IOException {
    Mounts.Target target = targetOrNull(path);
    if (target != null) {
      try {
        return op.on(target.sealedPath().getFileSystem().provider(), target.sealedPath());
      } catch (FileSystemException e) {
        throw renamed(e, absolute(path));
      }
    }
    try {
      return op.on(base, MountPath.unwrap(path));
    } catch (IOException e) {
      Denials.note(absolute(path), e, write);
      throw e;
    }
  }

  /** A sealed file system's exception, naming the enclave's path instead of the store's. */
  private static FileSystemException renamed(FileSystemException e, String path) {
    FileSystemException named = switch (e) {
      case NoSuchFileException x -> new NoSuchFileException(path, null, x.getReason());
      case FileAlreadyExistsException x -> new FileAlreadyExistsException(path, null, x.getReason());
      case DirectoryNotEmptyException x -> new DirectoryNotEmptyException(path);
      case NotDirectoryException x -> new NotDirectoryException(path);
      case AccessDeniedException x -> new AccessDeniedException(path, null, x.getReason());
      default -> e;
    };
    if (named != e) {
      named.initCause(e);
    }
    return named;
  }

  private static boolean writes(Set<? extends OpenOption> options) {
    return options.contains(java.nio.file.StandardOpenOption.WRITE)
        || options.contains(java.nio.file.StandardOpenOption.APPEND);
  }

  @Override
  public String getScheme() {
    return base.getScheme();
  }

  @Override
  public FileSystem newFileSystem(URI uri, Map<String, ?> env) throws IOException {
    return base.newFileSystem(uri, env);
  }

  @Override
  public FileSystem getFileSystem(URI uri) {
    base.getFileSystem(uri);
    return fileSystem;
  }

  @Override
  public Path getPath(URI uri) {
    return fileSystem.wrap(base.getPath(uri));
  }

  @Override
  public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options,
      FileAttribute<?>... attrs) throws IOException {
    return route(path, writes(options), (p, at) -> p.newByteChannel(at, options, attrs));
  }

  @Override
  public FileChannel newFileChannel(Path path, Set<? extends OpenOption> options,
      FileAttribute<?>... attrs) throws IOException {
    return route(path, writes(options), (p, at) -> p.newFileChannel(at, options, attrs));
  }

  @Override
  public AsynchronousFileChannel newAsynchronousFileChannel(Path path,
      Set<? extends OpenOption> options, ExecutorService executor, FileAttribute<?>... attrs)
      throws IOException {
    return route(path, writes(options),
        (p, at) -> p.newAsynchronousFileChannel(at, options, executor, attrs));
  }

  @Override
  public InputStream newInputStream(Path path, OpenOption... options) throws IOException {
    return route(path, false, (p, at) -> p.newInputStream(at, options));
  }

  @Override
  public OutputStream newOutputStream(Path path, OpenOption... options) throws IOException {
    return route(path, true, (p, at) -> p.newOutputStream(at, options));
  }

  @Override
  public DirectoryStream<Path> newDirectoryStream(Path dir,
      DirectoryStream.Filter<? super Path> filter) throws IOException {
    Mounts.Target target = targetOrNull(dir);
    if (target == null) {
      DirectoryStream<Path> plain = route(dir, false, (p, at) -> p.newDirectoryStream(at,
          entry -> filter.accept(fileSystem.wrap(entry))));
      return mapped(plain, fileSystem::wrap, entry -> true);
    }
    String root = target.mount().enclavePath();
    DirectoryStream<Path> sealed = route(dir, false,
        (p, at) -> p.newDirectoryStream(at, entry -> true));
    return mapped(sealed, entry -> fileSystem.getPath(root + entry.toAbsolutePath()), filter);
  }

  private interface Mapper {
    Path map(Path entry);
  }

  private static DirectoryStream<Path> mapped(DirectoryStream<Path> stream, Mapper mapper,
      DirectoryStream.Filter<? super Path> filter) {
    return new DirectoryStream<>() {
      @Override
      public Iterator<Path> iterator() {
        Iterator<Path> entries = stream.iterator();
        return new Iterator<>() {
          private Path next;

          @Override
          public boolean hasNext() {
            while (next == null && entries.hasNext()) {
              Path candidate = mapper.map(entries.next());
              try {
                if (filter.accept(candidate)) {
                  next = candidate;
                }
              } catch (IOException e) {
                throw new DirectoryIteratorException(e);
              }
            }
            return next != null;
          }

          @Override
          public Path next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            Path result = next;
            next = null;
            return result;
          }
        };
      }

      @Override
      public void close() throws IOException {
        stream.close();
      }
    };
  }

  @Override
  public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
    route(dir, true, (p, at) -> {
      p.createDirectory(at, attrs);
      return null;
    });
  }

  @Override
  public void delete(Path path) throws IOException {
    route(path, true, (p, at) -> {
      p.delete(at);
      return null;
    });
  }

  @Override
  public void copy(Path source, Path target, CopyOption... options) throws IOException {
    Mounts.Target from = targetOrNull(source);
    Mounts.Target to = targetOrNull(target);
    if (from == null && to == null) {
      route(target, true, (p, at) -> {
        base.copy(MountPath.unwrap(source), at, options);
        return null;
      });
    } else if (from != null && to != null && from.mount() == to.mount()) {
      route(target, true, (p, at) -> {
        p.copy(from.sealedPath(), at, options);
        return null;
      });
    } else {
      copyAcross(source, target, options);
    }
  }

  /** A copy between a sealed mount and elsewhere: contents only, as between providers. */
  private void copyAcross(Path source, Path target, CopyOption... options) throws IOException {
    boolean replace = Arrays.asList(options).contains(StandardCopyOption.REPLACE_EXISTING);
    BasicFileAttributes attributes = readAttributes(source, BasicFileAttributes.class);
    if (replace) {
      Files.deleteIfExists(target);
    } else if (Files.exists(target)) {
      throw new FileAlreadyExistsException(target.toString());
    }
    if (attributes.isDirectory()) {
      createDirectory(target);
      return;
    }
    try (InputStream in = newInputStream(source);
         OutputStream out = newOutputStream(target)) {
      in.transferTo(out);
    }
  }

  @Override
  public void move(Path source, Path target, CopyOption... options) throws IOException {
    Mounts.Target from = targetOrNull(source);
    Mounts.Target to = targetOrNull(target);
    if (from == null && to == null) {
      route(target, true, (p, at) -> {
        base.move(MountPath.unwrap(source), at, options);
        return null;
      });
    } else if (from != null && to != null && from.mount() == to.mount()) {
      route(target, true, (p, at) -> {
        p.move(from.sealedPath(), at, options);
        return null;
      });
    } else {
      if (Arrays.asList(options).contains(StandardCopyOption.ATOMIC_MOVE)) {
        throw new java.nio.file.AtomicMoveNotSupportedException(source.toString(),
            target.toString(), "a move into or out of a sealed mount cannot be atomic");
      }
      copyAcross(source, target, options);
      delete(source);
    }
  }

  @Override
  public boolean isSameFile(Path path, Path path2) throws IOException {
    Mounts.Target a = targetOrNull(path);
    Mounts.Target b = targetOrNull(path2);
    if (a == null && b == null) {
      return base.isSameFile(MountPath.unwrap(path), MountPath.unwrap(path2));
    }
    if (a != null && b != null && a.mount() == b.mount()) {
      return a.sealedPath().getFileSystem().provider().isSameFile(a.sealedPath(), b.sealedPath());
    }
    return false;
  }

  @Override
  public boolean isHidden(Path path) throws IOException {
    return route(path, false, FileSystemProvider::isHidden);
  }

  @Override
  public FileStore getFileStore(Path path) throws IOException {
    return route(path, false, FileSystemProvider::getFileStore);
  }

  @Override
  public void checkAccess(Path path, AccessMode... modes) throws IOException {
    boolean write = Arrays.asList(modes).contains(AccessMode.WRITE);
    route(path, write, (p, at) -> {
      p.checkAccess(at, modes);
      return null;
    });
  }

  @Override
  public boolean exists(Path path, LinkOption... options) {
    Mounts.Target target = targetOrNull(path);
    return target != null
        ? Files.exists(target.sealedPath(), options)
        : base.exists(MountPath.unwrap(path), options);
  }

  @Override
  public <A extends BasicFileAttributes> A readAttributesIfExists(Path path, Class<A> type,
      LinkOption... options) throws IOException {
    Mounts.Target target = targetOrNull(path);
    if (target == null) {
      return base.readAttributesIfExists(MountPath.unwrap(path), type, options);
    }
    try {
      return target.sealedPath().getFileSystem().provider()
          .readAttributes(target.sealedPath(), type, options);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  @Override
  public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type,
      LinkOption... options) {
    Mounts.Target target = targetOrNull(path);
    return target != null
        ? target.sealedPath().getFileSystem().provider()
            .getFileAttributeView(target.sealedPath(), type, options)
        : base.getFileAttributeView(MountPath.unwrap(path), type, options);
  }

  @Override
  public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type,
      LinkOption... options) throws IOException {
    return route(path, false, (p, at) -> p.readAttributes(at, type, options));
  }

  @Override
  public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options)
      throws IOException {
    return route(path, false, (p, at) -> p.readAttributes(at, attributes, options));
  }

  @Override
  public void setAttribute(Path path, String attribute, Object value, LinkOption... options)
      throws IOException {
    route(path, true, (p, at) -> {
      p.setAttribute(at, attribute, value, options);
      return null;
    });
  }

  @Override
  public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs)
      throws IOException {
    route(link, true, (p, at) -> {
      p.createSymbolicLink(at, p == base ? MountPath.unwrap(target) : target, attrs);
      return null;
    });
  }

  @Override
  public void createLink(Path link, Path existing) throws IOException {
    route(link, true, (p, at) -> {
      p.createLink(at, p == base ? MountPath.unwrap(existing) : existing);
      return null;
    });
  }

  @Override
  public Path readSymbolicLink(Path link) throws IOException {
    return fileSystem.wrap(route(link, false, FileSystemProvider::readSymbolicLink));
  }
}
