package dev.cella.host.internal;

import dev.cella.EnclaveException;
import dev.cella.EnclaveIdentity;
import dev.cella.EnclaveStatus.Code;
import dev.cella.protocol.StorageRequest;
import dev.cella.protocol.WireWriter;
import dev.cella.protocol.storage.DirectorySealedStorageHost;
import dev.cella.protocol.storage.FileMonotonicCounter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The host's side of an enclave's sealed storage: an untrusted folder of ciphertext objects per
 * store under the enclave's storage folder, and a monotonic counter per store kept by the
 * platform in its own folder (so that deleting the storage folder does not reset it). Every name
 * the enclave sends is checked ({@link StorageRequest}); nothing here can read the contents.
 *
 * <p>For the software platforms embedded in the host, the counter is a file the host's user can
 * reset: it detects a rollback of the storage folder alone, not one of the storage folder and the
 * platform folder together (see docs/sealing.md).
 *
 * <p>Thread-safe.
 */
final class HostStorage {
  private final Path root;
  private final Path counters;
  private final String counterScope;
  private final Map<String, Path> mounts;
  private final Map<String, DirectorySealedStorageHost> stores = new ConcurrentHashMap<>();
  private final Map<String, FileMonotonicCounter> storeCounters = new ConcurrentHashMap<>();

  /**
   * @param root the enclave's storage folder
   * @param platformDirectory the folder of the enclave's platform
   * @param identity the enclave's identity: counters are per signer, product and store
   */
  HostStorage(Path root, Path platformDirectory, EnclaveIdentity identity) {
    this(root, platformDirectory, identity, Map.of());
  }

  /**
   * @param mounts the host folders of an application bundle's sealed mounts, by store name
   *     ({@code cella-mount-N} for the manifest's file grant N)
   */
  HostStorage(Path root, Path platformDirectory, EnclaveIdentity identity,
      Map<String, Path> mounts) {
    this.mounts = Map.copyOf(mounts);
    this.root = root.toAbsolutePath().normalize();
    this.counters = platformDirectory.resolve("counters");
    this.counterScope = identity.signer().hex() + "/" + identity.productId() + "/" + this.root;
  }

  byte[] handle(StorageRequest request) {
    try {
      return switch (request.operation()) {
        case READ -> {
          byte[] bytes = store(request.store()).readOrNull(request.object());
          WireWriter out = new WireWriter(8 + (bytes == null ? 0 : bytes.length));
          yield bytes == null ? out.u8(0).u32(0).toByteArray() : out.u8(1).bytes(bytes).toByteArray();
        }
        case WRITE -> {
          store(request.store()).writeAtomically(request.object(), request.bytes());
          yield new byte[0];
        }
        case DELETE -> {
          store(request.store()).delete(request.object());
          yield new byte[0];
        }
        case LIST -> {
          List<String> names = store(request.store()).list();
          WireWriter out = new WireWriter(16 + names.size() * 40).u32(names.size());
          names.forEach(out::string);
          yield out.toByteArray();
        }
        case COUNTER_READ -> new WireWriter(8).u64(counter(request.store()).read()).toByteArray();
        case COUNTER_INCREMENT ->
            new WireWriter(8).u64(counter(request.store()).increment()).toByteArray();
      };
    } catch (IOException e) {
      throw new EnclaveException(Code.UNAVAILABLE,
          "the host's sealed storage failed: " + e.getClass().getSimpleName());
    }
  }

  private DirectorySealedStorageHost store(String name) throws IOException {
    DirectorySealedStorageHost store = stores.get(name);
    if (store == null) {
      Path mount = mounts.get(name);
      if (name.startsWith(StorageRequest.MOUNT_STORE_PREFIX) && mount == null) {
        throw new EnclaveException(Code.PERMISSION_DENIED,
            "the manifest grants no sealed mount for store " + name);
      }
      Files.createDirectories(mount != null ? mount : root, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rwx------")));
      store = new DirectorySealedStorageHost(mount != null ? mount : root.resolve(name));
      DirectorySealedStorageHost raced = stores.putIfAbsent(name, store);
      store = raced != null ? raced : store;
    }
    return store;
  }

  private FileMonotonicCounter counter(String store) throws IOException {
    FileMonotonicCounter counter = storeCounters.get(store);
    if (counter == null) {
      Files.createDirectories(counters, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rwx------")));
      counter = storeCounters.computeIfAbsent(store,
          s -> new FileMonotonicCounter(counters.resolve(sha256(counterScope + "/" + s
              + (mounts.containsKey(s) ? "@" + mounts.get(s).toAbsolutePath().normalize() : "")))));
    }
    return counter;
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
