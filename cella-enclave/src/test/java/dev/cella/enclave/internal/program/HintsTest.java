package dev.cella.enclave.internal.program;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cella.protocol.ProgramMessages.Mount;
import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import org.junit.jupiter.api.Test;

class HintsTest {
  private static final List<Mount> MOUNTS = List.of(new Mount("/srv/in", "/in", "read-only"),
      new Mount("/srv/db", "/data", "sealed"));

  @Test
  void aMissingPathOutsideEveryGrant_namesTheFolderToGrant() {
    var denial = Denials.inChain(new RuntimeException("wrapped",
        new UncheckedIOException(new NoSuchFileException("/etc/app/conf.txt"))));
    assertThat(Hints.forDenial(denial, MOUNTS)).contains("/etc/app/conf.txt")
        .contains("grants no host folder at /etc/app").contains("--mount HOST-DIR:/etc/app:");
  }

  @Test
  void anUnresolvedName_namesTheConnectGrantToAdd() {
    assertThat(Hints.forFailure(new IllegalStateException("db down",
        new java.net.UnknownHostException("db.internal")), MOUNTS))
        .contains("could not resolve db.internal").contains("--connect db.internal:PORT");
  }

  @Test
  void aRefusedConnection_saysOnlyConnectGrantsAreReachable() {
    assertThat(Hints.forFailure(new java.net.ConnectException("Connection refused"), MOUNTS))
        .contains("connection was refused").contains("--connect HOST:PORT");
    assertThat(Hints.forFailure(new IllegalArgumentException("unrelated"), MOUNTS)).isEmpty();
  }

  @Test
  void aWriteUnderAReadOnlyGrant_namesTheGrantAndItsMode() {
    var denial = Denials.inChain(new FileSystemException("/in/out.txt", null,
        "Read-only file system"));
    assertThat(Hints.forDenial(denial, MOUNTS)).contains("could not write /in/out.txt")
        .contains("grants /srv/in at /in read-only");
  }

  @Test
  void javaIoMessage_isRecognized() {
    var denial = Denials.inChain(new FileNotFoundException("/secret/key (No such file or directory)"));
    assertThat(denial.path()).isEqualTo("/secret/key");
    assertThat(Hints.forDenial(denial, MOUNTS)).contains("grants no host folder at /secret");
  }

  @Test
  void aMissingFileInsideAGrantOrTmp_givesNoHint() {
    assertThat(Hints.forDenial(Denials.inChain(new NoSuchFileException("/data/x")), MOUNTS))
        .isEmpty();
    assertThat(Hints.forDenial(Denials.inChain(new NoSuchFileException("/tmp/x")), MOUNTS))
        .isEmpty();
    assertThat(Hints.forDenial(Denials.inChain(new IllegalStateException("no file")), MOUNTS))
        .isEmpty();
  }

  @Test
  void exitWatch_readsTheStatusOfRuntimeExitsMessage_only() {
    assertThat(ExitWatch.statusOrNull("Runtime.exit(42)")).isEqualTo(42);
    assertThat(ExitWatch.statusOrNull("Runtime.exit(-1)")).isEqualTo(-1);
    assertThat(ExitWatch.statusOrNull("Runtime.exit(x)")).isNull();
    assertThat(ExitWatch.statusOrNull("something else")).isNull();
    assertThat(ExitWatch.statusOrNull(null)).isNull();
  }
}
