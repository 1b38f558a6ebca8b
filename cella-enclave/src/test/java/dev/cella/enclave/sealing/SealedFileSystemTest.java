package dev.cella.enclave.sealing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SealedFileSystemTest {
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

  @Test
  void write_thenReadAllBytes_returnsTheContent() throws Exception {
    Path file = fs.getPath("/secret.bin");

    Files.write(file, "hello, enclave".getBytes(UTF_8));

    assertThat(Files.readAllBytes(file)).asString(UTF_8).isEqualTo("hello, enclave");
    assertThat(Files.size(file)).isEqualTo(14);
    assertThat(Files.exists(file)).isTrue();
    assertThat(Files.isRegularFile(file)).isTrue();
  }

  @Test
  void content_survivesClosingAndReopening() throws Exception {
    Files.createDirectories(fs.getPath("/keys/signing"));
    Files.writeString(fs.getPath("/keys/signing/key.pem"), "PEM");
    fs.close();

    fs = store.open();

    assertThat(Files.readString(fs.getPath("/keys/signing/key.pem"))).isEqualTo("PEM");
    assertThat(Files.isDirectory(fs.getPath("/keys"))).isTrue();
  }

  @Test
  void hostFiles_holdNeitherNamesNorContent() throws Exception {
    Files.createDirectory(fs.getPath("/very-secret-dir"));
    Files.writeString(fs.getPath("/very-secret-dir/passwords.txt"), "hunter2 hunter2 hunter2");

    for (Path hostFile : store.objectFiles()) {
      assertThat(hostFile.getFileName().toString()).matches("[0-9a-f]{32}");
      assertThat(new String(Files.readAllBytes(hostFile), UTF_8)).doesNotContain("hunter2");
    }
    assertThat(new String(Files.readAllBytes(store.manifest()), UTF_8))
        .doesNotContain("very-secret-dir").doesNotContain("passwords");
  }

  @Test
  void relativePaths_resolveAgainstTheRoot() throws Exception {
    Files.writeString(fs.getPath("notes.txt"), "relative");

    assertThat(Files.readString(fs.getPath("/notes.txt"))).isEqualTo("relative");
    assertThat(fs.getPath("a/../notes.txt").toRealPath()).isEqualTo(fs.getPath("/notes.txt"));
  }

  @Test
  void largeFile_roundTrips() throws Exception {
    byte[] content = new byte[3 << 20];
    new Random(7).nextBytes(content);
    Path file = fs.getPath("/large");

    Files.write(file, content);

    assertThat(Files.readAllBytes(file)).isEqualTo(content);
  }

  @Test
  void streams_roundTrip() throws Exception {
    Path file = fs.getPath("/stream.txt");
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int i = 0; i < 1000; i++) {
        out.write(("line " + i + "\n").getBytes(UTF_8));
      }
    }

    try (InputStream in = Files.newInputStream(file)) {
      assertThat(new String(in.readAllBytes(), UTF_8).lines()).hasSize(1000).contains("line 999");
    }
    assertThat(Files.readAllLines(file)).first().isEqualTo("line 0");
  }

  @Test
  void newOutputStream_onExistingFile_truncatesIt() throws Exception {
    Path file = fs.getPath("/f");
    Files.writeString(file, "a long first version");

    Files.writeString(file, "short");

    assertThat(Files.readString(file)).isEqualTo("short");
  }

  @Test
  void append_addsAtTheEnd() throws Exception {
    Path file = fs.getPath("/log");
    Files.writeString(file, "one\n");

    Files.writeString(file, "two\n", StandardOpenOption.APPEND);

    assertThat(Files.readString(file)).isEqualTo("one\ntwo\n");
  }

  @Test
  void byteChannel_readWriteSeekAndTruncate() throws Exception {
    Path file = fs.getPath("/channel");
    Files.writeString(file, "0123456789");

    try (SeekableByteChannel ch = Files.newByteChannel(
        file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ch.position(2);
      ch.write(ByteBuffer.wrap("ab".getBytes(UTF_8)));
      ByteBuffer rest = ByteBuffer.allocate(3);
      ch.read(rest);
      assertThat(new String(rest.array(), UTF_8)).isEqualTo("456");
      ch.truncate(8);
      ch.position(12);
      ch.write(ByteBuffer.wrap("Z".getBytes(UTF_8)));
      assertThat(ch.size()).isEqualTo(13);
    }

    byte[] expected = "01ab4567\0\0\0\0Z".getBytes(UTF_8);
    assertThat(Files.readAllBytes(file)).isEqualTo(expected);
  }

  @Test
  void writtenContent_appearsOnlyWhenTheChannelCloses() throws Exception {
    Path file = fs.getPath("/later");
    Files.writeString(file, "old");

    try (OutputStream out = Files.newOutputStream(file)) {
      out.write("new".getBytes(UTF_8));
      assertThat(Files.readString(file)).isEqualTo("old");
    }

    assertThat(Files.readString(file)).isEqualTo("new");
  }

  @Test
  void createNew_onExistingFile_isRefused() throws Exception {
    Path file = fs.getPath("/once");
    Files.writeString(file, "x");

    assertThatThrownBy(() -> Files.newOutputStream(file, StandardOpenOption.CREATE_NEW))
        .isInstanceOf(FileAlreadyExistsException.class);
  }

  @Test
  void reading_aMissingFile_throwsNoSuchFile() {
    assertThatThrownBy(() -> Files.readAllBytes(fs.getPath("/nope")))
        .isInstanceOf(NoSuchFileException.class);
    assertThat(Files.exists(fs.getPath("/nope"))).isFalse();
  }

  @Test
  void writing_intoAMissingDirectory_throwsNoSuchFile() {
    assertThatThrownBy(() -> Files.writeString(fs.getPath("/no/such/dir/file"), "x"))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void delete_removesFileAndItsHostObject() throws Exception {
    Path file = fs.getPath("/gone");
    Files.writeString(file, "x");
    assertThat(store.objectFiles()).hasSize(1);

    Files.delete(file);

    assertThat(Files.exists(file)).isFalse();
    assertThat(store.objectFiles()).isEmpty();
    assertThatThrownBy(() -> Files.delete(file)).isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void rewrite_leavesOneHostObjectPerFile() throws Exception {
    Path file = fs.getPath("/f");
    for (int i = 0; i < 5; i++) {
      Files.writeString(file, "version " + i);
    }

    assertThat(store.objectFiles()).hasSize(1);
    assertThat(Files.readString(file)).isEqualTo("version 4");
  }

  @Test
  void delete_ofNonEmptyDirectory_isRefused() throws Exception {
    Files.createDirectories(fs.getPath("/d/e"));

    assertThatThrownBy(() -> Files.delete(fs.getPath("/d")))
        .isInstanceOf(DirectoryNotEmptyException.class);
  }

  @Test
  void createDirectory_twice_isRefused_butCreateDirectoriesIsNot() throws Exception {
    Files.createDirectory(fs.getPath("/d"));

    assertThatThrownBy(() -> Files.createDirectory(fs.getPath("/d")))
        .isInstanceOf(FileAlreadyExistsException.class);
    Files.createDirectories(fs.getPath("/d/e/f"));
    assertThat(Files.isDirectory(fs.getPath("/d/e/f"))).isTrue();
  }

  @Test
  void listAndWalk_seeTheTree() throws Exception {
    Files.createDirectories(fs.getPath("/a/b"));
    Files.writeString(fs.getPath("/a/one.txt"), "1");
    Files.writeString(fs.getPath("/a/b/two.txt"), "2");
    Files.writeString(fs.getPath("/a-sibling"), "3");

    try (Stream<Path> list = Files.list(fs.getPath("/a"))) {
      assertThat(list.map(Path::toString)).containsExactlyInAnyOrder("/a/b", "/a/one.txt");
    }
    try (Stream<Path> walk = Files.walk(fs.getPath("/"))) {
      assertThat(walk.map(Path::toString)).containsExactlyInAnyOrder(
          "/", "/a", "/a/b", "/a/one.txt", "/a/b/two.txt", "/a-sibling");
    }
  }

  @Test
  void directoryStream_withGlob_filtersNames() throws Exception {
    Files.writeString(fs.getPath("/x.txt"), "");
    Files.writeString(fs.getPath("/y.bin"), "");
    List<String> names = new ArrayList<>();

    try (DirectoryStream<Path> stream = Files.newDirectoryStream(fs.getPath("/"), "*.{txt,md}")) {
      stream.forEach(p -> names.add(p.getFileName().toString()));
    }

    assertThat(names).containsExactly("x.txt");
  }

  @Test
  void move_withReplaceExisting_replacesTheTarget() throws Exception {
    Path a = fs.getPath("/a");
    Path b = fs.getPath("/b");
    Files.writeString(a, "from a");
    Files.writeString(b, "old b");

    assertThatThrownBy(() -> Files.move(a, b)).isInstanceOf(FileAlreadyExistsException.class);
    Files.move(a, b, StandardCopyOption.REPLACE_EXISTING);

    assertThat(Files.exists(a)).isFalse();
    assertThat(Files.readString(b)).isEqualTo("from a");
    assertThat(store.objectFiles()).hasSize(1);
  }

  @Test
  void move_ofDirectory_movesItsContents() throws Exception {
    Files.createDirectories(fs.getPath("/src/inner"));
    Files.writeString(fs.getPath("/src/inner/f"), "deep");

    Files.move(fs.getPath("/src"), fs.getPath("/dst"));

    assertThat(Files.readString(fs.getPath("/dst/inner/f"))).isEqualTo("deep");
    assertThat(Files.exists(fs.getPath("/src"))).isFalse();
    assertThatThrownBy(() -> Files.move(fs.getPath("/dst"), fs.getPath("/dst/inner/x")))
        .hasMessageContaining("into itself");
  }

  @Test
  void copy_makesAnIndependentFile() throws Exception {
    Files.writeString(fs.getPath("/orig"), "same");

    Files.copy(fs.getPath("/orig"), fs.getPath("/copy"));
    Files.writeString(fs.getPath("/orig"), "changed");

    assertThat(Files.readString(fs.getPath("/copy"))).isEqualTo("same");
  }

  @Test
  void basicAttributes_reportKindSizeAndTimes() throws Exception {
    Instant before = Instant.now().minusSeconds(1);
    Path file = fs.getPath("/attrs");
    Files.writeString(file, "12345");

    BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);

    assertThat(attrs.size()).isEqualTo(5);
    assertThat(attrs.isRegularFile()).isTrue();
    assertThat(attrs.isDirectory()).isFalse();
    assertThat(attrs.lastModifiedTime().toInstant()).isAfter(before);
    assertThat(Files.readAttributes(file, "basic:size,isDirectory"))
        .containsEntry("size", 5L).containsEntry("isDirectory", false);
    assertThat(Files.readAttributes(fs.getPath("/"), BasicFileAttributes.class).isDirectory())
        .isTrue();
  }

  @Test
  void setLastModifiedTime_isKept() throws Exception {
    Path file = fs.getPath("/t");
    Files.writeString(file, "x");
    FileTime time = FileTime.from(Instant.parse("2020-01-02T03:04:05Z"));

    Files.setLastModifiedTime(file, time);
    fs.close();
    fs = store.open();

    assertThat(Files.getLastModifiedTime(fs.getPath("/t"))).isEqualTo(time);
  }

  @Test
  void unsupportedOperations_sayWhatIsNotSupported() {
    Path file = fs.getPath("/f");

    assertThatThrownBy(() -> java.nio.channels.FileChannel.open(file))
        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("FileChannel");
    assertThatThrownBy(() -> Files.createSymbolicLink(file, fs.getPath("/g")))
        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("symbolic links");
    assertThatThrownBy(() -> Files.getPosixFilePermissions(file))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> Files.getFileStore(file))
        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("FileStore");
    assertThatThrownBy(file::toUri)
        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("URI");
    assertThatThrownBy(() -> Files.newOutputStream(file, StandardOpenOption.DELETE_ON_CLOSE))
        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("DELETE_ON_CLOSE");
    assertThatThrownBy(fs::newWatchService)
        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("watch");
  }

  @Test
  void closedFileSystem_refusesOperations() throws Exception {
    Path file = fs.getPath("/f");
    Files.writeString(file, "x");

    fs.close();

    assertThat(fs.isOpen()).isFalse();
    assertThatThrownBy(() -> Files.readAllBytes(file))
        .isInstanceOf(java.nio.file.ClosedFileSystemException.class);
  }

  @Test
  void move_toAnotherSealedFileSystem_isRefused() throws Exception {
    Files.writeString(fs.getPath("/a"), "x");
    try (FileSystem other = new TestStore(dir.resolve("other")).open()) {
      assertThatThrownBy(() -> Files.move(fs.getPath("/a"), other.getPath("/a")))
          .isInstanceOf(java.nio.file.ProviderMismatchException.class);
    }
  }
}
