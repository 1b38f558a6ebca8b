package dev.cella.enclave.sealing;

import dev.cella.protocol.storage.SealedStorageHost;
import dev.cella.protocol.storage.MonotonicCounter;
import dev.cella.enclave.sealing.internal.SealedFileSystem;
import dev.cella.enclave.sealing.internal.SealedStore;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.util.Objects;

/**
 * Opens sealed file systems: {@code java.nio.file} file systems for enclave code whose files the
 * host keeps only as sealed objects, with a sealed manifest bound to a monotonic counter so that
 * a modified, truncated, swapped, rolled-back or withheld file or manifest is refused with a
 * {@link SealedStorageException}. Every change is atomic and durable when its call returns; a
 * crash at any moment leaves the previous state readable. The layout, the checks and the crash
 * argument are in {@code docs/sealing.md}.
 *
 * <pre>{@code
 * FileSystem fs = SealedFileSystems.open("default", keys.sealer(SealPolicy.SIGNER), host, counter);
 * Path key = fs.getPath("/keys/signing.pk8");
 * Files.createDirectories(key.getParent());
 * Files.write(key, pkcs8);                       // committed when write returns
 * byte[] again = Files.readAllBytes(key);        // verified before it is returned
 * }</pre>
 *
 * <p><b>What works</b> ({@link java.nio.file.Files} on the file system's paths): absolute and
 * relative paths (relative to {@code /}); {@code write}, {@code readAllBytes}, {@code
 * readString}/{@code writeString}, {@code newInputStream}, {@code newOutputStream}, {@code
 * newBufferedReader}/{@code Writer}, {@code newByteChannel} (read, write, append, truncate,
 * create, create-new); {@code exists}, {@code size}, {@code delete}, {@code deleteIfExists},
 * {@code createDirectory}, {@code createDirectories}, {@code list}, {@code walk}, {@code find},
 * {@code newDirectoryStream} (with {@code glob:} and {@code regex:} filters), {@code copy}, {@code
 * move} (with {@code REPLACE_EXISTING}; always atomic; directories move with their contents);
 * basic attributes (size, kind, creation and modification time; the access time reads as the
 * modification time) and setting the creation and modification times.
 *
 * <p><b>What does not</b>, each refused with an {@link UnsupportedOperationException} that names
 * it: {@code FileChannel} and asynchronous channels (no mapping, no locks), symbolic and hard
 * links, POSIX/DOS/owner/ACL attributes and attributes at creation, {@code FileStore}s, watch
 * services, URIs ({@code Path.toUri}, {@code Path.of(URI)}), and {@code DELETE_ON_CLOSE}.
 *
 * <p><b>Semantics to know</b>: a file is held in memory while a channel is open on it, and the
 * content written through a channel becomes visible (committed) when the channel closes, so a
 * file created with {@code CREATE} appears at close. Readers see a verified snapshot taken when
 * they open. Two writers of one file: the last to close wins. Each change costs two host writes
 * (the object and the manifest) and one counter increment; a store suits secrets and state, not
 * bulk data. Files hold at most about 2 GiB. The host sees the number and sizes of files and when
 * they change, never their names or contents.
 *
 * <p>One open file system per store: the counter must belong to this store alone, and two open
 * instances of one store refuse each other's commits ({@code COUNTER_MISMATCH}). After a failed
 * commit (the host or counter failed), every operation fails until the file system is closed and
 * opened again, which resolves the interrupted commit.
 *
 * <p>Thread-safe: any number of threads may use one file system; changes apply one at a time.
 */
public final class SealedFileSystems {
  private SealedFileSystems() {}

  /**
   * Opens store {@code storeName}, creating it when the host has no manifest and the counter is
   * 0. Opening verifies the manifest against the counter, completes a commit that a crash
   * interrupted, and deletes objects that no committed file names (leftovers of interrupted
   * writes).
   *
   * @param storeName names the store inside its manifest, so that another store's manifest is
   *     refused ({@code SWAPPED}); 1 to 255 characters
   * @param sealer seals the manifest and every file; {@link SealPolicy#SIGNER} lets later signed
   *     versions of the enclave open the store, {@link SealPolicy#MEASUREMENT} only this bundle
   * @param host the untrusted storage for this store
   * @param counter the platform's monotonic counter for this store
   * @throws SealedStorageException when the manifest is refused
   * @throws IOException when the host or the counter fails
   */
  public static FileSystem open(String storeName, Sealer sealer, SealedStorageHost host,
      MonotonicCounter counter) throws IOException {
    Objects.requireNonNull(storeName, "storeName");
    if (storeName.isEmpty() || storeName.length() > 255) {
      throw new IllegalArgumentException("a store name has 1 to 255 characters, got "
          + storeName.length());
    }
    SealedStore store = SealedStore.open(storeName, Objects.requireNonNull(sealer, "sealer"),
        Objects.requireNonNull(host, "host"), Objects.requireNonNull(counter, "counter"));
    return new SealedFileSystem(store);
  }
}
