package dev.cella.enclave.sealing.internal;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.util.ArrayList;
import java.util.List;

/**
 * The file locks held on sealed files in this JVM: an overlapping request is refused with {@link
 * OverlappingFileLockException} (the {@link FileChannel#tryLock} contract for locks held by the
 * same JVM). Files are told apart by their store and path.
 *
 * <p>Thread-safe.
 */
final class SealedLocks {
  private static final List<SealedFileChannel.Lock> HELD = new ArrayList<>();

  private SealedLocks() {}

  static FileLock acquire(SealedFileChannel channel, String key, long position, long size,
      boolean shared, List<SealedFileChannel.Lock> owner) {
    synchronized (HELD) {
      for (SealedFileChannel.Lock held : HELD) {
        if (held.store() == channel.store() && held.file().equals(key)
            && held.overlaps(position, size)) {
          throw new OverlappingFileLockException();
        }
      }
      SealedFileChannel.Lock lock =
          new SealedFileChannel.Lock(channel, channel.store(), key, position, size, shared, owner);
      HELD.add(lock);
      synchronized (owner) {
        owner.add(lock);
      }
      return lock;
    }
  }

  static void released(SealedFileChannel.Lock lock) {
    synchronized (HELD) {
      HELD.remove(lock);
    }
  }
}
