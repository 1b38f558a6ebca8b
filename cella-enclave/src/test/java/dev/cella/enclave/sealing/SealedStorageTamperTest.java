package dev.cella.enclave.sealing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cella.enclave.sealing.SealedStorageException.Reason;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the host can do to a sealed store, and that each is refused with its own reason. */
class SealedStorageTamperTest {
  @TempDir Path dir;
  private TestStore store;
  private FileSystem fs;

  @BeforeEach
  void open() throws Exception {
    store = new TestStore(dir);
    fs = store.open();
  }

  @AfterEach
  void close() throws Exception {
    fs.close();
  }

  private static SealedStorageException refusal(ThrowingCallable call) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).isInstanceOf(SealedStorageException.class);
    return (SealedStorageException) thrown;
  }

  /** Writes {@code content} to {@code path} and returns the host file of its new object. */
  private Path write(String path, String content) throws Exception {
    List<Path> before = store.objectFiles();
    Files.writeString(fs.getPath(path), content);
    return store.newObjectSince(before);
  }

  private void reopen() throws Exception {
    fs.close();
    fs = store.open();
  }

  @Test
  void read_ofModifiedFile_isRefusedAsModified() throws Exception {
    Path object = write("/f", "precious content");
    byte[] bytes = Files.readAllBytes(object);
    bytes[bytes.length - 20] ^= 1;
    Files.write(object, bytes);

    SealedStorageException e = refusal(() -> Files.readAllBytes(fs.getPath("/f")));

    assertThat(e.reason()).isEqualTo(Reason.MODIFIED);
    assertThat(e.pathOrNull()).isEqualTo("/f");
    assertThat(e.concernsManifest()).isFalse();
  }

  @Test
  void read_ofTruncatedFile_isRefusedAsTruncated() throws Exception {
    Path object = write("/f", "precious content");
    byte[] bytes = Files.readAllBytes(object);
    Files.write(object, Arrays.copyOf(bytes, bytes.length - 5));

    assertThat(refusal(() -> Files.readAllBytes(fs.getPath("/f"))).reason())
        .isEqualTo(Reason.TRUNCATED);
  }

  @Test
  void read_ofFileSwappedWithAnother_isRefusedAsSwapped() throws Exception {
    Path a = write("/a", "content of a");
    Path b = write("/b", "content of b");
    Files.copy(b, a, StandardCopyOption.REPLACE_EXISTING);

    SealedStorageException e = refusal(() -> Files.readAllBytes(fs.getPath("/a")));

    assertThat(e.reason()).isEqualTo(Reason.SWAPPED);
    assertThat(e).hasMessageContaining("another file");
    assertThat(Files.readString(fs.getPath("/b"))).isEqualTo("content of b");
  }

  @Test
  void read_ofFileRolledBackToAnOlderVersion_isRefusedAsRolledBack() throws Exception {
    byte[] version1 = Files.readAllBytes(write("/f", "version 1"));
    Path current = write("/f", "version 2");
    Files.write(current, version1);

    SealedStorageException e = refusal(() -> Files.readAllBytes(fs.getPath("/f")));

    assertThat(e.reason()).isEqualTo(Reason.ROLLED_BACK);
    assertThat(e).hasMessageContaining("version 1").hasMessageContaining("version 2");
  }

  @Test
  void read_ofAnUncommittedWriteOfTheSameVersion_isRefusedAsSwapped() throws Exception {
    write("/f", "version 1");
    fs.close();
    FaultyHost failing = new FaultyHost(store.host());
    failing.failManifestWrite = true;
    List<Path> before = store.objectFiles();
    try (FileSystem interrupted = SealedFileSystems.open(TestStore.NAME,
        TestPlatform.standard().keysFor(TestPlatform.identity(1, 2, 3, 4)).sealer(SealPolicy.SIGNER),
        failing, store.counter())) {
      catchThrowable(() -> Files.writeString(interrupted.getPath("/f"), "version 2, lost"));
    }
    byte[] uncommitted = Files.readAllBytes(store.newObjectSince(before));
    fs = store.open();
    Path committed = write("/f", "version 2, kept");
    Files.write(committed, uncommitted);

    SealedStorageException e = refusal(() -> Files.readAllBytes(fs.getPath("/f")));

    assertThat(e.reason()).isEqualTo(Reason.SWAPPED);
    assertThat(e).hasMessageContaining("never committed");
  }

  @Test
  void read_ofFileWhoseObjectIsGone_isRefusedAsMissing() throws Exception {
    Files.delete(write("/f", "x"));

    assertThat(refusal(() -> Files.readAllBytes(fs.getPath("/f"))).reason())
        .isEqualTo(Reason.MISSING);
  }

  @Test
  void read_ofObjectFromAnotherStoreOfTheSameEnclave_isRefusedAsSwapped() throws Exception {
    Path mine = write("/f", "mine");
    TestStore otherStore = new TestStore(dir.resolve("other"));
    byte[] foreign;
    try (FileSystem other = otherStore.open()) {
      Files.writeString(other.getPath("/f"), "theirs");
      foreign = Files.readAllBytes(otherStore.objectFiles().getFirst());
    }
    Files.write(mine, foreign);

    SealedStorageException e = refusal(() -> Files.readAllBytes(fs.getPath("/f")));

    assertThat(e.reason()).isEqualTo(Reason.SWAPPED);
    assertThat(e).hasMessageContaining("another sealed store");
  }

  @Test
  void read_ofObjectSealedByAnotherEnclave_isRefusedAsUnreadable() throws Exception {
    Path mine = write("/f", "mine");
    TestStore otherEnclave =
        new TestStore(dir.resolve("other"), TestPlatform.identity(1, 9, 3, 4));
    try (FileSystem other = otherEnclave.open()) {
      Files.writeString(other.getPath("/f"), "theirs");
    }
    Files.write(mine, Files.readAllBytes(otherEnclave.objectFiles().getFirst()));

    assertThat(refusal(() -> Files.readAllBytes(fs.getPath("/f"))).reason())
        .isEqualTo(Reason.UNREADABLE);
  }

  @Test
  void open_withModifiedManifest_isRefusedAsModified() throws Exception {
    write("/f", "x");
    byte[] manifest = Files.readAllBytes(store.manifest());
    manifest[manifest.length / 2] ^= 0x40;
    Files.write(store.manifest(), manifest);
    fs.close();

    SealedStorageException e = refusal(store::open);

    assertThat(e.reason()).isEqualTo(Reason.MODIFIED);
    assertThat(e.concernsManifest()).isTrue();
    assertThat(e).hasMessageContaining("sealed manifest");
  }

  @Test
  void open_withTruncatedManifest_isRefusedAsTruncated() throws Exception {
    write("/f", "x");
    byte[] manifest = Files.readAllBytes(store.manifest());
    Files.write(store.manifest(), Arrays.copyOf(manifest, manifest.length - 1));
    fs.close();

    assertThat(refusal(store::open).reason()).isEqualTo(Reason.TRUNCATED);
  }

  @Test
  void open_withOldManifest_isRefusedAsRolledBack() throws Exception {
    write("/f", "version 1");
    byte[] oldManifest = Files.readAllBytes(store.manifest());
    byte[] oldObject = Files.readAllBytes(store.objectFiles().getFirst());
    Path oldName = store.objectFiles().getFirst();
    write("/f", "version 2");
    fs.close();
    Files.write(store.manifest(), oldManifest);
    Files.write(oldName, oldObject);

    SealedStorageException e = refusal(store::open);

    assertThat(e.reason()).isEqualTo(Reason.ROLLED_BACK);
    assertThat(e).hasMessageContaining("old manifest");
  }

  @Test
  void open_withFileObjectInPlaceOfTheManifest_isRefusedAsModified() throws Exception {
    Path object = write("/f", "x");
    fs.close();
    Files.copy(object, store.manifest(), StandardCopyOption.REPLACE_EXISTING);

    assertThat(refusal(store::open).reason()).isEqualTo(Reason.MODIFIED);
  }

  @Test
  void open_underAnotherStoreName_isRefusedAsSwapped() throws Exception {
    fs.close();

    SealedStorageException e = refusal(() -> store.open("another-store"));

    assertThat(e.reason()).isEqualTo(Reason.SWAPPED);
    assertThat(e).hasMessageContaining("'test-store'");
  }

  @Test
  void open_ofStoreSealedByAnotherEnclave_isRefusedAsUnreadable() throws Exception {
    write("/f", "x");
    fs.close();
    Path otherDir = dir.resolve("other");
    Files.createDirectories(otherDir);
    TestStore sameFilesOtherEnclave = new TestStore(dir, TestPlatform.identity(1, 9, 3, 4));

    assertThat(refusal(sameFilesOtherEnclave::open).reason()).isEqualTo(Reason.UNREADABLE);
  }

  @Test
  void open_withManifestDeleted_isRefusedAsMissing() throws Exception {
    write("/f", "x");
    fs.close();
    Files.delete(store.manifest());

    SealedStorageException e = refusal(store::open);

    assertThat(e.reason()).isEqualTo(Reason.MISSING);
    assertThat(e.concernsManifest()).isTrue();
  }

  @Test
  void open_withCounterReset_isRefusedAsCounterMismatch() throws Exception {
    write("/f", "x");
    write("/g", "y");
    fs.close();
    Files.delete(store.counterFile);

    assertThat(refusal(store::open).reason()).isEqualTo(Reason.COUNTER_MISMATCH);
  }

  /**
   * The limit of a host-kept counter, as docs/sealing.md states: a host that restores an old copy
   * of the objects and resets the file counter to match rolls the store back undetected. The
   * platform-kept counters of the process and vm backends exist for this reason.
   */
  @Test
  void restoringObjectsAndFileCounterTogether_isNotDetected_aLimitOfHostKeptCounters()
      throws Exception {
    write("/f", "version 1");
    fs.close();
    Path snapshot = dir.resolve("snapshot");
    Files.createDirectories(snapshot);
    for (Path file : Files.list(store.objects).toList()) {
      Files.copy(file, snapshot.resolve(file.getFileName()));
    }
    String counterValue = Files.readString(store.counterFile);
    fs = store.open();
    write("/f", "version 2");
    fs.close();
    for (Path file : Files.list(store.objects).toList()) {
      Files.delete(file);
    }
    for (Path file : Files.list(snapshot).toList()) {
      Files.copy(file, store.objects.resolve(file.getFileName()));
    }
    Files.writeString(store.counterFile, counterValue);

    fs = store.open();

    assertThat(Files.readString(fs.getPath("/f"))).isEqualTo("version 1");
  }

  @Test
  void tamperedFile_doesNotAffectOtherFiles() throws Exception {
    Path a = write("/a", "a");
    write("/b", "b");
    Files.write(a, new byte[] {1, 2, 3});

    assertThat(refusal(() -> Files.readAllBytes(fs.getPath("/a"))).reason())
        .isEqualTo(Reason.MODIFIED);
    assertThat(Files.readString(fs.getPath("/b"))).isEqualTo("b");
    reopen();
    assertThat(Files.readString(fs.getPath("/b"))).isEqualTo("b");
  }
}
