package dev.cella.enclave.sealing;

import dev.cella.protocol.storage.SealedStorageHost;
import dev.cella.protocol.storage.DirectorySealedStorageHost;
import dev.cella.protocol.storage.FileMonotonicCounter;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A sealed store on disk for tests: objects in {@code dir/objects}, the counter in {@code
 * dir/counter}, keys from the {@link TestPlatform} for a fixed identity (the same in every JVM, so
 * that a child process and the test open the same store).
 */
final class TestStore {
  static final String NAME = "test-store";

  final Path objects;
  final Path counterFile;
  private final SealingKeys keys;

  TestStore(Path dir) {
    this(dir, TestPlatform.identity(1, 2, 3, 4));
  }

  TestStore(Path dir, dev.cella.EnclaveIdentity identity) {
    this.objects = dir.resolve("objects");
    this.counterFile = dir.resolve("counter");
    this.keys = TestPlatform.standard().keysFor(identity);
  }

  FileSystem open() throws IOException {
    return open(NAME);
  }

  FileSystem open(String storeName) throws IOException {
    return SealedFileSystems.open(storeName, keys.sealer(SealPolicy.SIGNER), host(), counter());
  }

  DirectorySealedStorageHost host() throws IOException {
    return new DirectorySealedStorageHost(objects);
  }

  FileMonotonicCounter counter() {
    return new FileMonotonicCounter(counterFile);
  }

  Path manifest() {
    return objects.resolve(SealedStorageHost.MANIFEST_NAME);
  }

  /** The host files of file objects (everything but the manifest). */
  List<Path> objectFiles() throws IOException {
    try (Stream<Path> files = Files.list(objects)) {
      return files.filter(p -> !p.getFileName().toString().equals(SealedStorageHost.MANIFEST_NAME))
          .sorted()
          .toList();
    }
  }

  /** The one object file that appeared since {@code before}. */
  Path newObjectSince(List<Path> before) throws IOException {
    List<Path> added = objectFiles().stream().filter(p -> !before.contains(p)).toList();
    if (added.size() != 1) {
      throw new AssertionError("expected one new object, got " + added);
    }
    return added.getFirst();
  }
}
