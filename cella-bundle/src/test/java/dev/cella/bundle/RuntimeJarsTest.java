package dev.cella.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeJarsTest {
  @TempDir Path dir;

  @Test
  void fromDirectory_listsJarsSortedAndIgnoresOtherFiles() throws Exception {
    Files.write(dir.resolve("cella-protocol-1.jar"), Fixtures.jar("a", "b"));
    Files.write(dir.resolve("cella-enclave-1.jar"), Fixtures.jar("a", "b"));
    Files.writeString(dir.resolve("README"), "x");
    RuntimeJars jars = RuntimeJars.fromDirectory(dir);
    assertThat(jars.names()).containsExactly("cella-enclave-1.jar", "cella-protocol-1.jar");
    assertThat(jars.directory()).isEqualTo(dir);
  }

  @Test
  void fromDirectory_emptyMissingOrWithoutRuntime_isRefused() throws Exception {
    assertFailedPrecondition(() -> RuntimeJars.fromDirectory(dir), "holds no jars");
    assertFailedPrecondition(() -> RuntimeJars.fromDirectory(dir.resolve("nope")), "does not exist");
    Files.write(dir.resolve("other.jar"), Fixtures.jar("a", "b"));
    assertFailedPrecondition(() -> RuntimeJars.fromDirectory(dir), "no cella-enclave jar");
  }

  @Test
  void locate_withoutTheProperty_saysHowToSetIt() {
    String saved = System.getProperty(RuntimeJars.DIRECTORY_PROPERTY);
    System.clearProperty(RuntimeJars.DIRECTORY_PROPERTY);
    try {
      assertFailedPrecondition(RuntimeJars::locate, "-Dcella.runtime.dir=");
    } finally {
      if (saved != null) {
        System.setProperty(RuntimeJars.DIRECTORY_PROPERTY, saved);
      }
    }
  }

  @Test
  void locate_withTheProperty_readsThatFolder() throws Exception {
    Files.write(dir.resolve("cella-enclave-1.jar"), Fixtures.jar("a", "b"));
    String saved = System.getProperty(RuntimeJars.DIRECTORY_PROPERTY);
    System.setProperty(RuntimeJars.DIRECTORY_PROPERTY, dir.toString());
    try {
      assertThat(RuntimeJars.locate().names()).containsExactly("cella-enclave-1.jar");
    } finally {
      if (saved == null) {
        System.clearProperty(RuntimeJars.DIRECTORY_PROPERTY);
      } else {
        System.setProperty(RuntimeJars.DIRECTORY_PROPERTY, saved);
      }
    }
  }

  private static void assertFailedPrecondition(Runnable r, String message) {
    assertThatThrownBy(r::run).isInstanceOfSatisfying(EnclaveException.class, e -> {
      assertThat(e.code()).isEqualTo(Code.FAILED_PRECONDITION);
      assertThat(e.getMessage()).contains(message);
    });
  }
}
