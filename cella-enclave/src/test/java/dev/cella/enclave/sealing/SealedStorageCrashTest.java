package dev.cella.enclave.sealing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cella.enclave.sealing.FaultyHost.FaultyCounter;
import dev.cella.enclave.sealing.SealedStorageException.Reason;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Interrupted commits, at each step of the commit order, and the recovery rules of the journal. */
class SealedStorageCrashTest {
  @TempDir Path dir;

  private FileSystem openFaulty(TestStore store, FaultyHost host, FaultyCounter counter)
      throws IOException {
    return SealedFileSystems.open(TestStore.NAME,
        TestPlatform.standard().keysFor(TestPlatform.identity(1, 2, 3, 4)).sealer(SealPolicy.SIGNER),
        host, counter);
  }

  @Test
  void crashBeforeTheManifestIsWritten_leavesThePreviousVersion_andNoLeftoverObject()
      throws Exception {
    TestStore store = new TestStore(dir);
    FaultyHost host = new FaultyHost(store.host());
    FileSystem fs = openFaulty(store, host, new FaultyCounter(store.counter()));
    Files.writeString(fs.getPath("/f"), "version 1");
    host.failManifestWrite = true;

    assertThatThrownBy(() -> Files.writeString(fs.getPath("/f"), "version 2"))
        .isInstanceOf(IOException.class).hasMessageContaining("simulated crash");
    assertThat(store.objectFiles()).hasSize(2);

    try (FileSystem reopened = store.open()) {
      assertThat(Files.readString(reopened.getPath("/f"))).isEqualTo("version 1");
      assertThat(store.objectFiles()).hasSize(1);
    }
  }

  @Test
  void crashBetweenManifestAndCounter_isRolledForwardOnOpen() throws Exception {
    TestStore store = new TestStore(dir);
    FaultyCounter counter = new FaultyCounter(store.counter());
    FileSystem fs = openFaulty(store, new FaultyHost(store.host()), counter);
    Files.writeString(fs.getPath("/f"), "version 1");
    long before = store.counter().read();
    counter.failIncrement = true;

    assertThatThrownBy(() -> Files.writeString(fs.getPath("/f"), "version 2"))
        .isInstanceOf(IOException.class);
    assertThat(store.counter().read()).isEqualTo(before);

    try (FileSystem reopened = store.open()) {
      assertThat(Files.readString(reopened.getPath("/f"))).isEqualTo("version 2");
      assertThat(store.counter().read()).isEqualTo(before + 1);
      Files.writeString(reopened.getPath("/f"), "version 3");
    }
    try (FileSystem again = store.open()) {
      assertThat(Files.readString(again.getPath("/f"))).isEqualTo("version 3");
    }
  }

  @Test
  void afterAFailedCommit_everyOperationFails_untilReopened() throws Exception {
    TestStore store = new TestStore(dir);
    FaultyCounter counter = new FaultyCounter(store.counter());
    FileSystem fs = openFaulty(store, new FaultyHost(store.host()), counter);
    Files.writeString(fs.getPath("/f"), "version 1");
    counter.failIncrement = true;
    catchThrowable(() -> Files.writeString(fs.getPath("/f"), "version 2"));
    counter.failIncrement = false;

    assertThatThrownBy(() -> Files.writeString(fs.getPath("/g"), "x"))
        .isInstanceOf(IOException.class).hasMessageContaining("closed and opened again");
  }

  @Test
  void failedObjectWrite_leavesTheFileSystemUsable() throws Exception {
    TestStore store = new TestStore(dir);
    FaultyHost host = new FaultyHost(store.host());
    try (FileSystem fs = openFaulty(store, host, new FaultyCounter(store.counter()))) {
      Files.writeString(fs.getPath("/f"), "version 1");
      host.failObjectWrite = true;
      assertThatThrownBy(() -> Files.writeString(fs.getPath("/f"), "version 2"))
          .isInstanceOf(IOException.class);
      host.failObjectWrite = false;

      assertThat(Files.readString(fs.getPath("/f"))).isEqualTo("version 1");
      Files.writeString(fs.getPath("/f"), "version 3");
      assertThat(Files.readString(fs.getPath("/f"))).isEqualTo("version 3");
    }
  }

  /**
   * The case the recovery rule exists for. A commit is interrupted after its manifest reached the
   * host but before the counter moved. The host hides that manifest and shows the previous one; a
   * later session writes and is acknowledged; then the host brings the hidden manifest back. It
   * must be refused: it would undo an acknowledged write.
   */
  @Test
  void hiddenManifestOfAnInterruptedCommit_cannotUndoALaterAcknowledgedWrite() throws Exception {
    TestStore store = new TestStore(dir);
    FaultyCounter counter = new FaultyCounter(store.counter());
    FileSystem fs = openFaulty(store, new FaultyHost(store.host()), counter);
    Files.writeString(fs.getPath("/f"), "version 1");
    byte[] previousManifest = Files.readAllBytes(store.manifest());
    counter.failIncrement = true;
    catchThrowable(() -> Files.writeString(fs.getPath("/f"), "version 2 (never acknowledged)"));
    byte[] hiddenManifest = Files.readAllBytes(store.manifest());
    Files.write(store.manifest(), previousManifest);

    try (FileSystem second = store.open()) {
      assertThat(Files.readString(second.getPath("/f"))).isEqualTo("version 1");
      Files.writeString(second.getPath("/f"), "version 3 (acknowledged)");
    }
    Files.write(store.manifest(), hiddenManifest);

    assertThat(((SealedStorageException) catchThrowable(store::open)).reason())
        .isEqualTo(Reason.ROLLED_BACK);
  }

  @Test
  void twoOpenInstancesOfOneStore_theSecondCommitIsRefused_andTheFirstKeepsItsData() throws Exception {
    TestStore store = new TestStore(dir);
    try (FileSystem first = store.open(); FileSystem second = store.open()) {
      Files.writeString(first.getPath("/f"), "from first");

      Throwable thrown = catchThrowable(() -> Files.writeString(second.getPath("/g"), "x"));

      assertThat(thrown).isInstanceOf(SealedStorageException.class);
      assertThat(((SealedStorageException) thrown).reason()).isEqualTo(Reason.COUNTER_MISMATCH);
    }
    try (FileSystem reopened = store.open()) {
      assertThat(Files.readString(reopened.getPath("/f"))).isEqualTo("from first");
      assertThat(Files.exists(reopened.getPath("/g"))).isFalse();
    }
  }
}
