package dev.cella.enclave.sealing.internal;

import dev.cella.Bytes;
import dev.cella.protocol.storage.MonotonicCounter;
import dev.cella.protocol.storage.SealedStorageHost;
import dev.cella.enclave.sealing.Sealer;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.ClosedFileSystemException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The sealed store behind a sealed file system: the current manifest, and the operations on it,
 * each of which commits a new manifest before it returns. A changed file becomes visible only
 * when the manifest that names its new object is committed: new object, then manifest, then
 * counter, then the old object is deleted.
 *
 * <p>Thread-safe: reads (including the host read and the verification of a file) share a read
 * lock; changes hold the write lock while they seal, write the object and commit, so that they
 * apply in order. Objects that a change made obsolete are deleted after the lock is released;
 * no reader can still need them, since readers hold the read lock while they fetch.
 */
public final class SealedStore {
  private static final System.Logger LOG = System.getLogger(SealedStore.class.getName());

  private final String storeName;
  private final Sealer sealer;
  private final SealedStorageHost host;
  private final ManifestJournal journal;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private Manifest manifest;
  private volatile boolean closed;

  private SealedStore(String storeName, Sealer sealer, SealedStorageHost host,
      ManifestJournal journal, Manifest manifest) {
    this.storeName = storeName;
    this.sealer = sealer;
    this.host = host;
    this.journal = journal;
    this.manifest = manifest;
  }

  /** Opens (or, when the host has nothing and the counter is 0, creates) store {@code storeName}. */
  public static SealedStore open(String storeName, Sealer sealer, SealedStorageHost host,
      MonotonicCounter counter) throws IOException {
    ManifestJournal journal = new ManifestJournal(sealer, host, counter);
    Manifest fresh = Manifest.empty(FileObjects.newObjectName(), storeName, now());
    SealedStore store =
        new SealedStore(storeName, sealer, host, journal, journal.open(storeName, fresh));
    store.collectGarbage();
    return store;
  }

  /** The store's name. */
  public String name() {
    return storeName;
  }

  /** The entry at {@code path}, or null. */
  public Entry entryOrNull(String path) {
    lock.readLock().lock();
    try {
      checkOpen();
      return manifest.entries().get(path);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The names of the entries directly in directory {@code path}. */
  public List<String> childNames(String path) throws IOException {
    lock.readLock().lock();
    try {
      checkOpen();
      requireDirectory(manifest.entries(), path);
      List<String> names = new ArrayList<>();
      String prefix = StorePaths.childPrefix(path);
      for (String key : manifest.entries().tailMap(prefix, false).keySet()) {
        if (!key.startsWith(prefix)) {
          break;
        }
        if (key.indexOf('/', prefix.length()) < 0) {
          names.add(key.substring(prefix.length()));
        }
      }
      return names;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The verified content of regular file {@code path}. */
  public FileObjects.Content read(String path) throws IOException {
    lock.readLock().lock();
    try {
      checkOpen();
      Entry entry = requireFile(manifest.entries(), path);
      return FileObjects.open(
          sealer, manifest.storeId(), path, entry, host.readOrNull(entry.objectNameHex()));
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Replaces the content of file {@code path} with {@code buffer[FileObjects.HEADER_LENGTH,
   * FileObjects.HEADER_LENGTH + length)}; the buffer's first bytes are overwritten.
   *
   * @param createNew fail if the file exists
   * @param mustExist fail if it does not
   */
  public void write(String path, byte[] buffer, int length, boolean createNew, boolean mustExist)
      throws IOException {
    mutate(entries -> {
      Entry old = entries.get(path);
      if (old != null && old.directory()) {
        throw new FileSystemException(path, null, "is a directory");
      }
      if (old != null && createNew) {
        throw new FileAlreadyExistsException(path);
      }
      if (old == null && mustExist) {
        throw new NoSuchFileException(path);
      }
      if (old == null) {
        requireDirectory(entries, StorePaths.parent(path));
      }
      long fileId = old == null ? FileObjects.newFileId() : old.fileId();
      long version = old == null ? 1 : old.version() + 1;
      long time = now();
      entries.put(path, putObject(fileId, version, buffer, length,
          old == null ? time : old.createdNanos(), time));
      return old == null ? List.of() : List.of(old.objectNameHex());
    });
  }

  /** Creates directory {@code path}, whose parent must exist. */
  public void createDirectory(String path) throws IOException {
    mutate(entries -> {
      if (entries.containsKey(path)) {
        throw new FileAlreadyExistsException(path);
      }
      requireDirectory(entries, StorePaths.parent(path));
      entries.put(path, Entry.newDirectory(now()));
      return List.of();
    });
  }

  /** Deletes the file or empty directory {@code path}. */
  public void delete(String path) throws IOException {
    if (path.equals(StorePaths.ROOT)) {
      throw new FileSystemException(path, null, "the root directory cannot be deleted");
    }
    mutate(entries -> {
      Entry old = entries.remove(path);
      if (old == null) {
        throw new NoSuchFileException(path);
      }
      if (old.directory() && hasChildren(entries, path)) {
        throw new DirectoryNotEmptyException(path);
      }
      return old.directory() ? List.of() : List.of(old.objectNameHex());
    });
  }

  /**
   * Moves file or directory {@code source} (with everything below it) to {@code target}: a change
   * of the manifest only, since objects are bound to file ids, not paths.
   */
  public void move(String source, String target, boolean replace) throws IOException {
    if (source.equals(target)) {
      requireExists(entryOrNull(source), source);
      return;
    }
    if (source.equals(StorePaths.ROOT) || StorePaths.isSameOrBelow(target, source)) {
      throw new FileSystemException(source, target, "cannot move a directory into itself");
    }
    mutate(entries -> {
      Entry moved = requireExists(entries.get(source), source);
      List<String> obsolete = clearTarget(entries, target, replace);
      requireDirectory(entries, StorePaths.parent(target));
      if (moved.directory()) {
        String prefix = StorePaths.childPrefix(source);
        NavigableMap<String, Entry> below = new TreeMap<>(entries.tailMap(prefix, true));
        below.keySet().removeIf(k -> !k.startsWith(prefix));
        below.forEach((key, entry) -> {
          entries.remove(key);
          entries.put(target + key.substring(source.length()), entry);
        });
      }
      entries.remove(source);
      entries.put(target, moved);
      return obsolete;
    });
  }

  /** Copies regular file {@code source} to {@code target}, or creates an empty directory there. */
  public void copy(String source, String target, boolean replace, boolean copyTimes)
      throws IOException {
    if (source.equals(target)) {
      requireExists(entryOrNull(source), source);
      return;
    }
    mutate(entries -> {
      Entry from = requireExists(entries.get(source), source);
      List<String> obsolete = clearTarget(entries, target, replace);
      requireDirectory(entries, StorePaths.parent(target));
      long time = now();
      long created = copyTimes ? from.createdNanos() : time;
      long modified = copyTimes ? from.modifiedNanos() : time;
      if (from.directory()) {
        entries.put(target, Entry.newDirectory(time).withTimes(created, modified));
      } else {
        FileObjects.Content content = FileObjects.open(sealer, manifest.storeId(), source, from,
            host.readOrNull(from.objectNameHex()));
        entries.put(target, putObject(FileObjects.newFileId(), 1, content.buffer(),
            content.length(), created, modified));
      }
      return obsolete;
    });
  }

  /** Sets the times of {@code path}; a null time stays as it is. */
  public void setTimes(String path, Long modifiedNanosOrNull, Long createdNanosOrNull)
      throws IOException {
    mutate(entries -> {
      Entry old = requireExists(entries.get(path), path);
      entries.put(path, old.withTimes(
          createdNanosOrNull == null ? old.createdNanos() : createdNanosOrNull,
          modifiedNanosOrNull == null ? old.modifiedNanos() : modifiedNanosOrNull));
      return List.of();
    });
  }

  /** Marks the store closed; later operations throw {@link ClosedFileSystemException}. */
  public void close() {
    closed = true;
  }

  /** Whether {@link #close} was called. */
  public boolean isClosed() {
    return closed;
  }

  /** The current time in nanoseconds since the epoch. */
  static long now() {
    Instant now = Instant.now();
    return Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
  }

  private interface Change {
    /** Applies the change to {@code entries}; returns the host objects it makes obsolete. */
    List<String> apply(TreeMap<String, Entry> entries) throws IOException;
  }

  private void mutate(Change change) throws IOException {
    List<String> obsolete;
    lock.writeLock().lock();
    try {
      checkOpen();
      journal.checkUsable();
      TreeMap<String, Entry> entries = new TreeMap<>(manifest.entries());
      obsolete = change.apply(entries);
      manifest = journal.commit(manifest, manifest.withEntries(entries));
    } finally {
      lock.writeLock().unlock();
    }
    obsolete.forEach(this::deleteQuietly);
  }

  /** Seals content into a new host object and returns the entry that commits it. */
  private Entry putObject(long fileId, long version, byte[] buffer, int length, long created,
      long modified) throws IOException {
    if (buffer.length < FileObjects.HEADER_LENGTH + length) {
      throw new IllegalArgumentException("the buffer has no room for the object header");
    }
    FileObjects.Sealed sealed =
        FileObjects.seal(sealer, manifest.storeId(), fileId, version, buffer, length);
    String name = sealed.objectName().hex();
    try {
      host.writeAtomically(name, sealed.blob());
    } catch (IOException | RuntimeException e) {
      deleteQuietly(name);
      throw e;
    }
    return new Entry(false, created, modified, fileId, version, length, sealed.objectName(),
        sealed.tag());
  }

  /** Makes room at {@code target}; returns the objects that replacing it makes obsolete. */
  private static List<String> clearTarget(
      TreeMap<String, Entry> entries, String target, boolean replace) throws IOException {
    Entry old = entries.get(target);
    if (old == null) {
      return List.of();
    }
    if (!replace) {
      throw new FileAlreadyExistsException(target);
    }
    if (old.directory() && hasChildren(entries, target)) {
      throw new DirectoryNotEmptyException(target);
    }
    entries.remove(target);
    return old.directory() ? List.of() : List.of(old.objectNameHex());
  }

  private static boolean hasChildren(NavigableMap<String, Entry> entries, String directory) {
    String prefix = StorePaths.childPrefix(directory);
    String next = entries.higherKey(prefix);
    return next != null && next.startsWith(prefix);
  }

  private static Entry requireExists(Entry entry, String path) throws NoSuchFileException {
    if (entry == null) {
      throw new NoSuchFileException(path);
    }
    return entry;
  }

  private static void requireDirectory(Map<String, Entry> entries, String path)
      throws IOException {
    Entry entry = requireExists(entries.get(path), path);
    if (!entry.directory()) {
      throw new NotDirectoryException(path);
    }
  }

  private static Entry requireFile(Map<String, Entry> entries, String path) throws IOException {
    Entry entry = requireExists(entries.get(path), path);
    if (entry.directory()) {
      throw new FileSystemException(path, null, "is a directory");
    }
    return entry;
  }

  private void checkOpen() {
    if (closed) {
      throw new ClosedFileSystemException();
    }
  }

  /** Deletes host objects that no committed entry names: leftovers of interrupted writes. */
  private void collectGarbage() {
    Set<String> live = new HashSet<>();
    lock.readLock().lock();
    try {
      for (Entry entry : manifest.entries().values()) {
        if (!entry.directory()) {
          live.add(entry.objectNameHex());
        }
      }
    } finally {
      lock.readLock().unlock();
    }
    try {
      for (String name : host.list()) {
        if (FileObjects.isObjectName(name) && !live.contains(name)) {
          deleteQuietly(name);
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "sealed store ''{0}'': cannot list host objects to remove leftovers: "
          + "{1}", storeName, e.toString());
    }
  }

  private void deleteQuietly(String objectName) {
    try {
      host.delete(objectName);
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "sealed store ''{0}'': cannot delete obsolete object {1}: {2}",
          storeName, objectName, e.toString());
    }
  }

  /** The store id, for tests. */
  Bytes storeId() {
    lock.readLock().lock();
    try {
      return manifest.storeId();
    } finally {
      lock.readLock().unlock();
    }
  }
}
