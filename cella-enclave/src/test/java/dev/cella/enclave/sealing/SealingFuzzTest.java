package dev.cella.enclave.sealing;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.cella.enclave.sealing.internal.Manifest;
import dev.cella.protocol.storage.MonotonicCounter;
import dev.cella.protocol.storage.SealedStorageHost;
import dev.cella.testkit.AllocationBudget;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Fuzz targets for sealing and sealed-storage metadata: {@link Sealer#unseal} of any bytes
 * returns a plaintext or throws {@link UnsealException}; {@link Manifest#decode} of any plaintext
 * returns a table that survives a round trip or throws {@link SealedStorageException}; and a
 * sealed file system whose manifest is any plaintext sealed by the store's own key opens, lists
 * and reads, or refuses with {@link SealedStorageException}: the checks behind the
 * authentication see what only a buggy or older writer could produce. The keys come from the
 * fixed {@link TestPlatform}, so that the committed sealed seeds unseal in every run.
 */
class SealingFuzzTest {
  static final byte[] ASSOCIATED_DATA = "fuzz".getBytes(US_ASCII);
  static final byte[] MANIFEST_DATA = "cella-sealed-fs-v1 manifest".getBytes(US_ASCII);
  static final String STORE = "fuzz-store";
  private static final SealingKeys KEYS =
      TestPlatform.standard().keysFor(TestPlatform.identity(1, 2, 3, 4));
  static final Sealer SIGNER = KEYS.sealer(SealPolicy.SIGNER);
  static final Sealer MEASUREMENT = KEYS.sealer(SealPolicy.MEASUREMENT);

  @FuzzTest
  void unseal_anyBlob_isPlaintextOrUnsealException(byte[] blob) throws Exception {
    AllocationBudget.check(AllocationBudget.ALLOWANCE + 64L * blob.length, () -> {
      for (Sealer sealer : List.of(SIGNER, MEASUREMENT)) {
        try {
          byte[] plaintext = sealer.unseal(blob, ASSOCIATED_DATA);
          assertThat(plaintext).hasSize(blob.length - 56);
        } catch (UnsealException refused) {
          assertThat(refused.reason()).isNotNull();
        }
      }
    });
  }

  @FuzzTest
  void manifest_anyPlaintext_decodesToAFixedPointOrSealedStorageException(byte[] plaintext)
      throws Exception {
    AllocationBudget.check(AllocationBudget.ALLOWANCE + 64L * plaintext.length, () -> {
      Manifest manifest;
      try {
        manifest = Manifest.decode(plaintext);
      } catch (SealedStorageException refused) {
        assertThat(refused.reason()).isEqualTo(SealedStorageException.Reason.UNREADABLE);
        return;
      }
      checkTable(manifest);
      byte[] encoded = manifest.encode();
      assertThat(Manifest.decode(encoded)).isEqualTo(manifest);
      assertThat(Manifest.decode(encoded).encode()).isEqualTo(encoded);
    });
  }

  @FuzzTest
  void openStore_anySealedManifest_opensOrSealedStorageException(byte[] plaintext)
      throws Exception {
    MemoryHost host = new MemoryHost();
    host.objects.put(SealedStorageHost.MANIFEST_NAME, SIGNER.seal(plaintext, MANIFEST_DATA));
    MemoryCounter counter = new MemoryCounter(1);
    AllocationBudget.check(AllocationBudget.ALLOWANCE + 64L * plaintext.length, () -> {
      FileSystem fs;
      try {
        fs = SealedFileSystems.open(STORE, SIGNER, host, counter);
      } catch (SealedStorageException refused) {
        return;
      }
      try (fs) {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> all = Files.walk(fs.getPath("/"))) {
          all.forEach(p -> {
            if (Files.isRegularFile(p)) {
              files.add(p);
            }
          });
        }
        for (Path file : files) {
          try {
            Files.readAllBytes(file);
          } catch (SealedStorageException refused) {
            // the fuzzed table names objects the host does not hold, or not these
          }
        }
      }
    });
  }

  /** The committed seeds are what they claim: a blob that unseals, a table that opens. */
  @Test
  void validSeeds_unsealAndOpen() throws Exception {
    assertThat(SIGNER.unseal(input("unseal_anyBlob_isPlaintextOrUnsealException",
        "seed-signer"), ASSOCIATED_DATA)).isNotEmpty();
    Manifest table = Manifest.decode(input(
        "manifest_anyPlaintext_decodesToAFixedPointOrSealedStorageException", "seed-table"));
    assertThat(table.entries()).containsKeys("/", "/a", "/a/f");
    Manifest store = Manifest.decode(input(
        "openStore_anySealedManifest_opensOrSealedStorageException", "seed-table"));
    assertThat(store.generation()).isEqualTo(1);
    assertThat(store.storeName()).isEqualTo(STORE);
  }

  private static byte[] input(String method, String name) throws IOException {
    try (InputStream in = SealingFuzzTest.class.getResourceAsStream(
        "SealingFuzzTestInputs/" + method + "/" + name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }

  /** What a decoded table promises the file system: a tree of normalized absolute paths. */
  private static void checkTable(Manifest manifest) {
    assertThat(manifest.entries().get("/").directory()).isTrue();
    for (Map.Entry<String, dev.cella.enclave.sealing.internal.Entry> row
        : manifest.entries().entrySet()) {
      String path = row.getKey();
      if (path.equals("/")) {
        continue;
      }
      assertThat(path).as("absolute and normalized").startsWith("/").doesNotEndWith("/")
          .doesNotContain("//").doesNotContain("/./").doesNotContain("/../")
          .doesNotEndWith("/.").doesNotEndWith("/..").doesNotContain("\0");
      String parent = path.substring(0, Math.max(1, path.lastIndexOf('/')));
      assertThat(manifest.entries().get(parent)).as("parent of " + path).isNotNull()
          .satisfies(p -> assertThat(p.directory()).isTrue());
    }
  }

  /** The host's objects in memory. */
  static final class MemoryHost implements SealedStorageHost {
    final Map<String, byte[]> objects = new TreeMap<>();

    @Override
    public byte[] readOrNull(String name) {
      byte[] b = objects.get(name);
      return b == null ? null : b.clone();
    }

    @Override
    public void writeAtomically(String name, byte[] bytes) {
      objects.put(name, bytes.clone());
    }

    @Override
    public void delete(String name) {
      objects.remove(name);
    }

    @Override
    public List<String> list() {
      return List.copyOf(objects.keySet());
    }
  }

  /** A counter in memory. */
  static final class MemoryCounter implements MonotonicCounter {
    private long value;

    MemoryCounter(long value) {
      this.value = value;
    }

    @Override
    public synchronized long read() {
      return value;
    }

    @Override
    public synchronized long increment() {
      return ++value;
    }
  }
}
