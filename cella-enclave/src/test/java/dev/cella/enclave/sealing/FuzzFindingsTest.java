package dev.cella.enclave.sealing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.Bytes;
import dev.cella.enclave.sealing.internal.Entry;
import dev.cella.enclave.sealing.internal.Manifest;
import java.io.InputStream;
import java.util.Arrays;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Each finding of the sealing fuzz targets (docs/fuzzing.md, "What was found"), pinned. */
class FuzzFindingsTest {
  private static final long T = 1_767_225_600_000_000_000L;

  @Test
  void manifest_fromTheFuzzer_withPathSlashNul_isUnreadable() throws Exception {
    byte[] found;
    try (InputStream in = getClass().getResourceAsStream("SealingFuzzTestInputs/"
        + "manifest_anyPlaintext_decodesToAFixedPointOrSealedStorageException/"
        + "crash-unnormalized-path")) {
      found = in.readAllBytes();
    }
    assertUnreadable(found);
  }

  @Test
  void manifest_withPathsTheFileSystemCannotName_isUnreadable() {
    for (String path : new String[] {"a", "/a/", "//a", "/a/./b", "/a/../b", "/.", "/..",
        "/" + "n".repeat(256), "/a\0b"}) {
      assertUnreadable(table("/a", Entry.newDirectory(T), path, file()).encode());
    }
  }

  @Test
  void manifest_withAnEntryOutsideAnyDirectory_isUnreadable() {
    assertUnreadable(table("/a", Entry.newDirectory(T), "/b/c", file()).encode());
    assertUnreadable(table("/f", file(), "/f/c", file()).encode());
  }

  @Test
  void manifest_ofANestedTree_stillDecodes() throws Exception {
    Manifest tree = table("/a", Entry.newDirectory(T), "/a/b", Entry.newDirectory(T));
    tree = tree.withEntries(put(tree, "/a/b/f", file()));

    assertThat(Manifest.decode(tree.encode())).isEqualTo(tree);
  }

  private static void assertUnreadable(byte[] plaintext) {
    assertThatThrownBy(() -> Manifest.decode(plaintext))
        .isInstanceOfSatisfying(SealedStorageException.class,
            e -> assertThat(e.reason()).isEqualTo(SealedStorageException.Reason.UNREADABLE));
  }

  private static Manifest table(String p1, Entry e1, String p2, Entry e2) {
    TreeMap<String, Entry> entries = new TreeMap<>();
    entries.put("/", Entry.newDirectory(T));
    entries.put(p1, e1);
    entries.put(p2, e2);
    return new Manifest(Bytes.of(new byte[16]), "store", 1, entries);
  }

  private static TreeMap<String, Entry> put(Manifest m, String path, Entry e) {
    TreeMap<String, Entry> entries = new TreeMap<>(m.entries());
    entries.put(path, e);
    return entries;
  }

  private static Entry file() {
    byte[] name = new byte[16];
    Arrays.fill(name, (byte) 1);
    return new Entry(false, T, T, 7, 1, 3, Bytes.of(name), Bytes.of(new byte[16]));
  }
}
