package dev.cella.enclave.sealing.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The entries of one sealed directory as they were when the stream was opened (a snapshot: later
 * changes do not show). Not thread-safe, like the JDK's directory streams.
 */
final class SealedDirectoryStream implements DirectoryStream<Path> {
  private final Path directory;
  private final List<String> names;
  private final Filter<? super Path> filter;
  private boolean closed;
  private boolean iterated;

  SealedDirectoryStream(Path directory, List<String> names, Filter<? super Path> filter) {
    this.directory = directory;
    this.names = names;
    this.filter = filter;
  }

  @Override
  public Iterator<Path> iterator() {
    if (closed) {
      throw new IllegalStateException("the directory stream is closed");
    }
    if (iterated) {
      throw new IllegalStateException("a directory stream has one iterator");
    }
    iterated = true;
    Iterator<String> source = names.iterator();
    return new Iterator<>() {
      private Path next;

      @Override
      public boolean hasNext() {
        while (next == null && !closed && source.hasNext()) {
          Path candidate = directory.resolve(source.next());
          try {
            if (filter == null || filter.accept(candidate)) {
              next = candidate;
            }
          } catch (IOException e) {
            throw new DirectoryIteratorException(e);
          } catch (UncheckedIOException e) {
            throw new DirectoryIteratorException(e.getCause());
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
  public void close() {
    closed = true;
  }
}
