package dev.cella.protocol.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectorySealedStorageHostTest {
  @TempDir Path dir;

  @Test
  void writeAtomically_thenRead_returnsTheBytes_andReplacesOldOnes() throws Exception {
    DirectorySealedStorageHost host = new DirectorySealedStorageHost(dir.resolve("s"));

    host.writeAtomically("abc", new byte[] {1, 2});
    host.writeAtomically("abc", new byte[] {3});

    assertThat(host.readOrNull("abc")).containsExactly(3);
    assertThat(host.list()).containsExactly("abc");
  }

  @Test
  void readOrNull_ofMissingObject_isNull_andDeleteOfMissingObjectIsFine() throws Exception {
    DirectorySealedStorageHost host = new DirectorySealedStorageHost(dir.resolve("s"));

    assertThat(host.readOrNull("nothing")).isNull();
    host.delete("nothing");
  }

  @Test
  void names_thatCouldEscapeTheDirectory_areRefused() throws Exception {
    DirectorySealedStorageHost host = new DirectorySealedStorageHost(dir.resolve("s"));

    for (String bad : new String[] {"../x", "a/b", "", "UPPER", "x".repeat(65), "a.tmp"}) {
      assertThatThrownBy(() -> host.writeAtomically(bad, new byte[0]))
          .as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void newInstance_removesTemporaryFilesOfInterruptedWrites_butNotObjects() throws Exception {
    Path storage = dir.resolve("s");
    new DirectorySealedStorageHost(storage).writeAtomically("keep", new byte[] {1});
    Files.write(storage.resolve("keep.0123456789abcdef.tmp"), new byte[] {9});

    DirectorySealedStorageHost host = new DirectorySealedStorageHost(storage);

    assertThat(Files.list(storage).map(p -> p.getFileName().toString())).containsExactly("keep");
    assertThat(host.readOrNull("keep")).containsExactly(1);
  }

  @Test
  void newDirectory_isOwnerOnly() throws Exception {
    Path storage = dir.resolve("s");
    new DirectorySealedStorageHost(storage);

    if (storage.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(storage)))
          .isEqualTo("rwx------");
    }
  }
}
