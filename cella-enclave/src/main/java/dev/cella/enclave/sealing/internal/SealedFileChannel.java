package dev.cella.enclave.sealing.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link FileChannel} on one sealed file, over a {@link SealedByteChannel}: reads, writes,
 * positional reads and writes, truncation and transfers work on the channel's private copy;
 * {@link #force} commits the copy (seals and commits it, as a close would) and keeps the channel
 * open, so a program that forces its writes gets the durability it asks for. Memory mapping is
 * refused ({@link UnsupportedOperationException}): the content exists in plaintext only in the
 * enclave's heap. Locks are real only within this JVM — there is no other process that could open
 * the store — and overlapping ones are refused with {@link OverlappingFileLockException}, as the
 * {@code FileChannel} contract asks.
 *
 * <p>Thread-safe (operations are serialized on the underlying channel).
 */
final class SealedFileChannel extends FileChannel {
  private static final int TRANSFER_CHUNK = 64 * 1024;

  private final SealedByteChannel channel;
  private final String key;
  private final List<Lock> locks = new ArrayList<>();

  SealedFileChannel(SealedByteChannel channel, String key) {
    this.channel = channel;
    this.key = key;
  }

  /** The store of the file, to tell files of different stores apart. */
  SealedStore store() {
    return channel.store();
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return channel.read(dst);
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    synchronized (channel) {
      long total = 0;
      for (int i = offset; i < offset + length; i++) {
        int n = channel.read(dsts[i]);
        if (n < 0) {
          return total == 0 ? -1 : total;
        }
        total += n;
        if (dsts[i].hasRemaining()) {
          break;
        }
      }
      return total;
    }
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    return channel.write(src);
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    synchronized (channel) {
      long total = 0;
      for (int i = offset; i < offset + length; i++) {
        total += channel.write(srcs[i]);
      }
      return total;
    }
  }

  @Override
  public long position() throws IOException {
    return channel.position();
  }

  @Override
  public FileChannel position(long newPosition) throws IOException {
    channel.position(newPosition);
    return this;
  }

  @Override
  public long size() throws IOException {
    return channel.size();
  }

  @Override
  public FileChannel truncate(long size) throws IOException {
    channel.truncate(size);
    return this;
  }

  /** Seals and commits what was written so far; the channel stays open. */
  @Override
  public void force(boolean metaData) throws IOException {
    channel.commit();
  }

  @Override
  public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
    ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(TRANSFER_CHUNK, Math.max(count, 1)));
    long done = 0;
    while (done < count) {
      chunk.clear().limit((int) Math.min(chunk.capacity(), count - done));
      int n = read(chunk, position + done);
      if (n <= 0) {
        break;
      }
      chunk.flip();
      while (chunk.hasRemaining()) {
        target.write(chunk);
      }
      done += n;
    }
    return done;
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
    ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(TRANSFER_CHUNK, Math.max(count, 1)));
    long done = 0;
    while (done < count) {
      chunk.clear().limit((int) Math.min(chunk.capacity(), count - done));
      int n = src.read(chunk);
      if (n <= 0) {
        break;
      }
      chunk.flip();
      done += write(chunk, position + done);
    }
    return done;
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    if (position < 0) {
      throw new IllegalArgumentException("a position cannot be negative: " + position);
    }
    synchronized (channel) {
      long saved = channel.position();
      try {
        channel.position(position);
        return channel.read(dst);
      } finally {
        channel.position(saved);
      }
    }
  }

  @Override
  public int write(ByteBuffer src, long position) throws IOException {
    if (position < 0) {
      throw new IllegalArgumentException("a position cannot be negative: " + position);
    }
    synchronized (channel) {
      long saved = channel.position();
      try {
        channel.position(position);
        return channel.write(src);
      } finally {
        channel.position(saved);
      }
    }
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long position, long size) {
    throw new UnsupportedOperationException("sealed files cannot be memory-mapped (" + key
        + "): their plaintext exists only in the enclave's heap; read them through the channel");
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) throws IOException {
    return tryLock(position, size, shared);
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) throws IOException {
    if (!isOpen()) {
      throw new java.nio.channels.ClosedChannelException();
    }
    if (position < 0 || size < 0 || position + size < 0) {
      throw new IllegalArgumentException("negative lock position or size");
    }
    return SealedLocks.acquire(this, key, position, size, shared, locks);
  }

  @Override
  protected void implCloseChannel() throws IOException {
    synchronized (locks) {
      for (Lock lock : List.copyOf(locks)) {
        lock.release();
      }
    }
    channel.close();
  }

  /** A lock held on a region of this channel's file. */
  static final class Lock extends FileLock {
    private final SealedStore store;
    private final String file;
    private final List<Lock> owner;
    private volatile boolean valid = true;

    Lock(FileChannel channel, SealedStore store, String file, long position, long size,
        boolean shared, List<Lock> owner) {
      super(channel, position, size, shared);
      this.store = store;
      this.file = file;
      this.owner = owner;
    }

    SealedStore store() {
      return store;
    }

    String file() {
      return file;
    }

    @Override
    public boolean isValid() {
      return valid;
    }

    @Override
    public void release() {
      if (valid) {
        valid = false;
        synchronized (owner) {
          owner.remove(this);
        }
        SealedLocks.released(this);
      }
    }
  }
}
