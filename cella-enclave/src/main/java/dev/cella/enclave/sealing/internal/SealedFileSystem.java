package dev.cella.enclave.sealing.internal;

import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.spi.FileSystemProvider;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A {@link FileSystem} whose files the host holds only as sealed objects; see {@code
 * dev.cella.enclave.sealing.SealedFileSystems} for what it supports. One root, {@code /}, which is
 * also the working directory. Path matchers support {@code glob:} and {@code regex:}.
 *
 * <p>Thread-safe.
 */
public final class SealedFileSystem extends FileSystem {
  private final SealedStore store;

  public SealedFileSystem(SealedStore store) {
    this.store = store;
  }

  SealedStore store() {
    return store;
  }

  @Override
  public FileSystemProvider provider() {
    return SealedFileSystemProvider.INSTANCE;
  }

  /** Closes this file system; open channels fail when used. Idempotent. */
  @Override
  public void close() {
    store.close();
  }

  @Override
  public boolean isOpen() {
    return !store.isClosed();
  }

  @Override
  public boolean isReadOnly() {
    return false;
  }

  @Override
  public String getSeparator() {
    return "/";
  }

  @Override
  public Iterable<Path> getRootDirectories() {
    return List.of(SealedPath.root(this));
  }

  @Override
  public Iterable<FileStore> getFileStores() {
    throw new UnsupportedOperationException(
        "sealed file systems have no FileStore: the host's space is not the enclave's to report");
  }

  @Override
  public Set<String> supportedFileAttributeViews() {
    return Set.of("basic");
  }

  @Override
  public Path getPath(String first, String... more) {
    return SealedPath.parse(this, first, more);
  }

  @Override
  public PathMatcher getPathMatcher(String syntaxAndPattern) {
    int colon = syntaxAndPattern.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("a path matcher is 'glob:PATTERN' or 'regex:PATTERN', got "
          + syntaxAndPattern);
    }
    String syntax = syntaxAndPattern.substring(0, colon);
    String pattern = syntaxAndPattern.substring(colon + 1);
    Pattern regex = switch (syntax) {
      case "glob" -> Pattern.compile(Globs.toRegex(pattern));
      case "regex" -> Pattern.compile(pattern);
      default -> throw new UnsupportedOperationException(
          "path matcher syntax '" + syntax + "' is not supported; use glob or regex");
    };
    return path -> regex.matcher(path.toString()).matches();
  }

  @Override
  public UserPrincipalLookupService getUserPrincipalLookupService() {
    throw new UnsupportedOperationException("sealed file systems have no owners or groups");
  }

  @Override
  public WatchService newWatchService() {
    throw new UnsupportedOperationException("sealed file systems have no watch service");
  }
}
