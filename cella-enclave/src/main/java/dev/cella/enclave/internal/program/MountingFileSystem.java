package dev.cella.enclave.internal.program;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The enclave's default file system when it has sealed mounts: the JDK's own default file
 * system, with paths wrapped ({@link MountPath}) so that {@link MountingFileSystemProvider} sees
 * every operation. Everything but the provider is the JDK's.
 *
 * <p>Thread-safe.
 */
final class MountingFileSystem extends FileSystem {
  private final MountingFileSystemProvider provider;
  private final FileSystem base;

  MountingFileSystem(MountingFileSystemProvider provider, FileSystem base) {
    this.provider = provider;
    this.base = base;
  }

  @Override
  public MountingFileSystemProvider provider() {
    return provider;
  }

  /** The default file system cannot be closed. */
  @Override
  public void close() {
    throw new UnsupportedOperationException("the default file system cannot be closed");
  }

  @Override
  public boolean isOpen() {
    return true;
  }

  @Override
  public boolean isReadOnly() {
    return false;
  }

  @Override
  public String getSeparator() {
    return base.getSeparator();
  }

  @Override
  public Iterable<Path> getRootDirectories() {
    List<Path> roots = new ArrayList<>();
    base.getRootDirectories().forEach(root -> roots.add(new MountPath(this, root)));
    return roots;
  }

  @Override
  public Iterable<FileStore> getFileStores() {
    return base.getFileStores();
  }

  @Override
  public Set<String> supportedFileAttributeViews() {
    return base.supportedFileAttributeViews();
  }

  @Override
  public Path getPath(String first, String... more) {
    return new MountPath(this, base.getPath(first, more));
  }

  @Override
  public PathMatcher getPathMatcher(String syntaxAndPattern) {
    PathMatcher matcher = base.getPathMatcher(syntaxAndPattern);
    return path -> matcher.matches(path instanceof MountPath mp ? mp.delegate() : path);
  }

  @Override
  public UserPrincipalLookupService getUserPrincipalLookupService() {
    return base.getUserPrincipalLookupService();
  }

  @Override
  public WatchService newWatchService() throws IOException {
    return base.newWatchService();
  }

  Path wrap(Path basePath) {
    return new MountPath(this, basePath);
  }
}
