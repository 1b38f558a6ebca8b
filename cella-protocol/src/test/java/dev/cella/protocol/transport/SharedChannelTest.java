package dev.cella.protocol.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SharedChannelTest {
  @TempDir Path folder;

  @Test
  void create_makesAnOwnerOnlyFile_thatOpenAccepts() throws Exception {
    Path file = folder.resolve("channel");
    try (SharedChannel host = SharedChannel.create(file, 1 << 12);
        SharedChannel enclave = SharedChannel.open(file)) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
      assertThat(enclave.ringCapacity()).isEqualTo(1 << 12);
      assertThat(host.isOpened()).isFalse();
      enclave.markOpened();
      assertThat(host.isOpened()).isTrue();
    }
  }

  @Test
  void create_refusesAnExistingFile() throws Exception {
    Path file = Files.writeString(folder.resolve("taken"), "x");
    assertThatThrownBy(() -> SharedChannel.create(file, 1 << 12))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(Files.readString(file)).isEqualTo("x");
  }

  @Test
  void create_refusesACapacityThatIsNotAPowerOfTwo() {
    assertThatThrownBy(() -> SharedChannel.create(folder.resolve("c"), 5000))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(folder.resolve("c")).doesNotExist();
  }

  @Test
  void open_refusesAFileThatIsNotAChannel() throws Exception {
    Path junk = Files.write(folder.resolve("junk"), new byte[4096]);
    assertThatThrownBy(() -> SharedChannel.open(junk)).isInstanceOf(TransportException.class)
        .hasMessageContaining("not a Cella channel");
    Path tiny = Files.write(folder.resolve("tiny"), new byte[3]);
    assertThatThrownBy(() -> SharedChannel.open(tiny)).isInstanceOf(TransportException.class)
        .hasMessageContaining("too short");
  }

  @Test
  void open_refusesAChannelWhoseSizeDoesNotMatchItsRings() throws Exception {
    Path file = folder.resolve("channel");
    SharedChannel.create(file, 1 << 12).close();
    try (var channel = java.nio.channels.FileChannel.open(file,
        java.nio.file.StandardOpenOption.WRITE)) {
      channel.truncate(channel.size() - 4096);
    }
    assertThatThrownBy(() -> SharedChannel.open(file)).isInstanceOf(TransportException.class)
        .hasMessageContaining("do not match");
  }
}
