package dev.cella.backend.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Folders that a host killed during a start left behind are deleted by the next start. */
class ChannelFoldersTest {
  @TempDir Path base;

  @Test
  void aFolderOfADeadHost_isDeletedByTheNextCreate_withItsFiles_andLiveOnesStay() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    assertThat(gone.waitFor(10, TimeUnit.SECONDS)).isTrue();
    Path dead = Files.createDirectory(base.resolve("cella-" + gone.pid() + "-1700000000000-x-1"));
    Files.writeString(dead.resolve("channel"), "left behind");
    Path live = ChannelFolders.create(base, "live");
    Files.writeString(live.resolve("channel"), "in use");
    Path reusedPid = Files.createDirectory(base.resolve(
        "cella-" + ProcessHandle.current().pid() + "-1234-reused-1"));
    Path unrelated = Files.createDirectory(base.resolve("cella-not-ours"));
    Path other = Files.createDirectory(base.resolve("other-" + gone.pid() + "-1-x-1"));

    Path next = ChannelFolders.create(base, "next");

    assertThat(dead).doesNotExist();
    assertThat(reusedPid).as("same PID, other start time: the PID was reused").doesNotExist();
    assertThat(live.resolve("channel")).exists();
    assertThat(next).isDirectory();
    assertThat(unrelated).isDirectory();
    assertThat(other).isDirectory();
  }

  @Test
  void aNewFolder_isNamedAfterThisHost_andIsOwnerOnly() throws Exception {
    Path folder = ChannelFolders.create(base, "signer");
    assertThat(folder.getFileName().toString())
        .startsWith("cella-" + ProcessHandle.current().pid() + "-");
    assertThat(ChannelFolders.isStale(folder.getFileName().toString())).isFalse();
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
  }

  @Test
  void aSymbolicLinkNamedLikeAFolder_isNotFollowed() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    assertThat(gone.waitFor(10, TimeUnit.SECONDS)).isTrue();
    Path target = Files.createDirectory(base.resolve("target"));
    Files.writeString(target.resolve("keep"), "keep");
    Files.createSymbolicLink(base.resolve("cella-" + gone.pid() + "-1-x-1"), target);
    ChannelFolders.sweep(base);
    assertThat(target.resolve("keep")).exists();
  }
}
