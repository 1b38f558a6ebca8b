package dev.cella.enclave.sealing.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Set;

/**
 * A channel on one sealed file, over a private copy of its content in memory. Reading sees the
 * content as it was verified at open. Writing changes only the copy; {@link #close} seals it as
 * a new object and commits it, so the new content appears all at once, or (when the enclave dies
 * first, or the commit fails) not at all. A file created by {@code CREATE} therefore appears at
 * close, not at open. Concurrent writers to one file: the last to close wins.
 *
 * <p>Supports {@code READ}, {@code WRITE}, {@code APPEND}, {@code TRUNCATE_EXISTING}, {@code
 * CREATE}, {@code CREATE_NEW}, and accepts {@code SYNC}, {@code DSYNC} (every commit is durable),
 * {@code SPARSE} and {@code NOFOLLOW_LINKS} (there are no links). {@code DELETE_ON_CLOSE} is
 * refused. Thread-safe (methods are synchronized); the buffer is wiped on close.
 */
final class SealedByteChannel implements SeekableByteChannel {
  private static final int HEADER = FileObjects.HEADER_LENGTH;

  private final SealedStore store;
  private final String key;
  private final boolean readable;
  private final boolean writable;
  private final boolean append;
  private final boolean createNew;
  private final boolean mustExist;
  private byte[] buffer;
  private int size;
  private long position;
  private boolean dirty;
  private boolean open = true;

  private SealedByteChannel(SealedStore store, String key, Options o, byte[] buffer, int size,
      boolean dirty, boolean existed) {
    this.store = store;
    this.key = key;
    this.readable = o.read;
    this.writable = o.write;
    this.append = o.append;
    this.createNew = o.createNew;
    this.mustExist = existed && !o.create && !o.createNew;
    this.buffer = buffer;
    this.size = size;
    this.dirty = dirty;
  }

  static SealedByteChannel open(SealedPath path, Set<? extends OpenOption> options)
      throws IOException {
    Options o = Options.parse(options);
    SealedStore store = path.getFileSystem().store();
    String key = path.storeKey();
    Entry entry = store.entryOrNull(key);
    if (entry != null && entry.directory()) {
      throw new FileSystemException(key, null, "is a directory");
    }
    if (entry == null) {
      if (!o.write || !(o.create || o.createNew)) {
        throw new NoSuchFileException(key);
      }
      if (key.equals(StorePaths.ROOT)) {
        throw new FileSystemException(key, null, "is a directory");
      }
      String parent = StorePaths.parent(key);
      Entry parentEntry = store.entryOrNull(parent);
      if (parentEntry == null) {
        throw new NoSuchFileException(parent);
      }
      if (!parentEntry.directory()) {
        throw new NotDirectoryException(parent);
      }
      return new SealedByteChannel(store, key, o, new byte[HEADER + 256], 0, true, false);
    }
    if (o.write && o.createNew) {
      throw new FileAlreadyExistsException(key);
    }
    if (o.write && o.truncate) {
      return new SealedByteChannel(store, key, o, new byte[HEADER + 256], 0, true, true);
    }
    FileObjects.Content content = store.read(key);
    return new SealedByteChannel(
        store, key, o, content.buffer(), content.length(), false, true);
  }

  @Override
  public synchronized int read(ByteBuffer dst) throws IOException {
    ensureOpen();
    if (!readable) {
      throw new NonReadableChannelException();
    }
    if (position >= size) {
      return -1;
    }
    int n = (int) Math.min(dst.remaining(), size - position);
    dst.put(buffer, HEADER + (int) position, n);
    position += n;
    return n;
  }

  @Override
  public synchronized int write(ByteBuffer src) throws IOException {
    ensureOpen();
    if (!writable) {
      throw new NonWritableChannelException();
    }
    if (append) {
      position = size;
    }
    int n = src.remaining();
    long end = position + n;
    if (end > FileObjects.MAX_CONTENT_LENGTH) {
      throw new FileSystemException(key, null, "a sealed file holds at most "
          + FileObjects.MAX_CONTENT_LENGTH + " bytes");
    }
    ensureCapacity((int) end);
    if (position > size) {
      Arrays.fill(buffer, HEADER + size, HEADER + (int) position, (byte) 0);
    }
    src.get(buffer, HEADER + (int) position, n);
    position = end;
    size = Math.max(size, (int) end);
    dirty = true;
    return n;
  }

  @Override
  public synchronized long position() throws IOException {
    ensureOpen();
    return position;
  }

  @Override
  public synchronized SeekableByteChannel position(long newPosition) throws IOException {
    ensureOpen();
    if (newPosition < 0) {
      throw new IllegalArgumentException("a position cannot be negative: " + newPosition);
    }
    position = newPosition;
    return this;
  }

  @Override
  public synchronized long size() throws IOException {
    ensureOpen();
    return size;
  }

  @Override
  public synchronized SeekableByteChannel truncate(long newSize) throws IOException {
    ensureOpen();
    if (newSize < 0) {
      throw new IllegalArgumentException("a size cannot be negative: " + newSize);
    }
    if (!writable) {
      throw new NonWritableChannelException();
    }
    if (newSize < size) {
      size = (int) newSize;
      dirty = true;
    }
    position = Math.min(position, newSize);
    return this;
  }

  @Override
  public synchronized boolean isOpen() {
    return open && !store.isClosed();
  }

  /** Commits the new content, if anything changed; the channel is closed even when that fails. */
  @Override
  public synchronized void close() throws IOException {
    if (!open) {
      return;
    }
    open = false;
    try {
      if (writable && dirty) {
        store.write(key, buffer, size, createNew, mustExist);
      }
    } finally {
      Arrays.fill(buffer, (byte) 0);
      buffer = null;
    }
  }

  private void ensureOpen() throws ClosedChannelException {
    if (!open || store.isClosed()) {
      throw new ClosedChannelException();
    }
  }

  private void ensureCapacity(int contentLength) {
    int needed = HEADER + contentLength;
    if (needed > buffer.length) {
      long doubled = Math.max(needed, 2L * buffer.length);
      byte[] grown = Arrays.copyOf(buffer,
          (int) Math.min(doubled, (long) HEADER + FileObjects.MAX_CONTENT_LENGTH));
      Arrays.fill(buffer, (byte) 0);
      buffer = grown;
    }
  }

  /** The parsed open options. */
  private record Options(boolean read, boolean write, boolean append, boolean truncate,
      boolean create, boolean createNew) {
    static Options parse(Set<? extends OpenOption> options) {
      boolean read = false, write = false, append = false, truncate = false, create = false;
      boolean createNew = false;
      for (OpenOption option : options) {
        if (option instanceof StandardOpenOption standard) {
          switch (standard) {
            case READ -> read = true;
            case WRITE -> write = true;
            case APPEND -> append = true;
            case TRUNCATE_EXISTING -> truncate = true;
            case CREATE -> create = true;
            case CREATE_NEW -> createNew = true;
            case SYNC, DSYNC, SPARSE -> { }
            case DELETE_ON_CLOSE -> throw new UnsupportedOperationException(
                "DELETE_ON_CLOSE is not supported by sealed file systems; delete the file instead");
          }
        } else if (option != LinkOption.NOFOLLOW_LINKS) {
          throw new UnsupportedOperationException(
              "open option " + option + " is not supported by sealed file systems");
        }
      }
      if (append && read) {
        throw new IllegalArgumentException("READ and APPEND cannot be combined");
      }
      if (append && truncate) {
        throw new IllegalArgumentException("APPEND and TRUNCATE_EXISTING cannot be combined");
      }
      write |= append;
      read |= !write;
      return new Options(read, write, append, truncate && write, create, createNew);
    }
  }
}
