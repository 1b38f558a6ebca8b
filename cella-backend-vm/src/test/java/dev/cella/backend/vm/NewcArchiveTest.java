package dev.cella.backend.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NewcArchiveTest {
  @TempDir Path folder;

  private byte[] archive(Path file) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (NewcArchive cpio = new NewcArchive(out)) {
      cpio.directory("bin");
      cpio.file("bin/tool", true, file);
      cpio.file("init", true, "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8));
      cpio.symlink("lib64", "lib");
    }
    return out.toByteArray();
  }

  @Test
  void sameContents_giveTheSameBytes_whateverTheFilesTimesAndOwners() throws Exception {
    Path file = Files.writeString(folder.resolve("tool"), "abcde");
    byte[] first = archive(file);
    Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(12345));
    assertThat(archive(file)).isEqualTo(first);
  }

  @Test
  void entries_haveTheNewcHeader_zeroTimesAndOwners_andFourByteAlignment() throws Exception {
    byte[] bytes = archive(Files.writeString(folder.resolve("tool"), "abcde"));
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    assertThat(text).startsWith("070701");
    assertThat(bytes.length % 4).isZero();
    // First entry: inode 1, mode 040755, uid 0, gid 0, nlink 2, mtime 0.
    assertThat(text.substring(6, 6 + 6 * 8))
        .isEqualTo("00000001" + "000041ed" + "00000000" + "00000000" + "00000002" + "00000000");
    int tool = text.indexOf("bin/tool\0");
    int header = tool - 110;
    assertThat(text.substring(header, header + 6)).isEqualTo("070701");
    assertThat(text.substring(header + 14, header + 22)).isEqualTo("000081ed");
    assertThat(text.substring(header + 54, header + 62)).isEqualTo("00000005"); // size
    assertThat(text).contains("lib64\0").contains("TRAILER!!!\0");
    assertThat(text.indexOf("abcde") % 4).isZero();
  }

  @Test
  void absoluteOrEmptyNames_areRefused() {
    NewcArchive cpio = new NewcArchive(new ByteArrayOutputStream());
    assertThatThrownBy(() -> cpio.directory("/etc")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> cpio.directory("")).isInstanceOf(IllegalArgumentException.class);
  }
}
