package dev.cella.backend.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cella.PlatformKind;
import dev.cella.SecurityLevel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Availability, the honest threat model, and the pieces of the sandbox's file system. */
class ProcessBackendTest {
  @TempDir Path folder;

  @Test
  void info_namesTheBackend_andSaysWhatItDoesNotProtectAgainst() {
    var info = new ProcessBackend().info();
    assertThat(info.name()).isEqualTo("process");
    assertThat(info.platform()).isEqualTo(PlatformKind.PROCESS);
    assertThat(info.securityLevel()).isEqualTo(SecurityLevel.PROCESS_ISOLATION);
    assertThat(info.doesNotProtectAgainst())
        .anyMatch(s -> s.contains("forge evidence") && s.contains("sealing keys"));
    assertThat(info.protectsAgainst()).anyMatch(s -> s.contains("host's files, network"));
  }

  @Test
  void withoutBubblewrap_theBackendIsUnavailable_sayingWhy() {
    var result = Sandbox.probe(Optional.empty());
    assertThat(result.sandboxOrNull()).isNull();
    assertThat(result.failureOrNull()).contains("bubblewrap (bwrap) is not installed");
  }

  @Test
  void aBubblewrapThatCannotStartTheJvm_makesTheBackendUnavailable_sayingWhy() throws Exception {
    Path fake = folder.resolve("bwrap");
    Files.writeString(fake, "#!/bin/sh\necho 'bwrap: No permissions to creating new namespace' >&2\n"
        + "exit 1\n");
    fake.toFile().setExecutable(true);
    var result = Sandbox.probe(Optional.of(fake));
    assertThat(result.sandboxOrNull()).isNull();
    assertThat(result.failureOrNull()).contains("cannot start a JVM in its sandbox")
        .contains("No permissions to creating new namespace");
  }

  @Test
  void mounts_recreateTheLinksOnTheWay_andBindOnlyTheRealFile() throws Exception {
    Path real = Files.createDirectories(folder.resolve("usr/lib"));
    Files.writeString(real.resolve("libx.so.1.2"), "elf");
    Files.createSymbolicLink(folder.resolve("lib"), Path.of("usr/lib"));
    Files.createSymbolicLink(real.resolve("libx.so.1"), Path.of("libx.so.1.2"));
    List<String> args = new SandboxMounts().expose(folder.resolve("lib/libx.so.1")).arguments();
    assertThat(args).containsExactly(
        "--symlink", "usr/lib", folder.resolve("lib").toString(),
        "--symlink", "libx.so.1.2", real.resolve("libx.so.1").toString(),
        "--ro-bind", real.resolve("libx.so.1.2").toString(), real.resolve("libx.so.1.2").toString());
  }

  @Test
  void mounts_refuseALinkLoop() throws Exception {
    Files.createSymbolicLink(folder.resolve("a"), Path.of("b"));
    Files.createSymbolicLink(folder.resolve("b"), Path.of("a"));
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> new SandboxMounts().expose(folder.resolve("a")))
        .isInstanceOf(java.io.IOException.class).hasMessageContaining("too many symbolic links");
  }

  @Test
  void theJavaBinary_namesItsDynamicLoader() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path interpreter = SystemLibraries.interpreter(java);
    assertThat(interpreter).isNotNull();
    assertThat(interpreter.getFileName().toString()).startsWith("ld-");
    assertThat(SystemLibraries.interpreter(Files.writeString(folder.resolve("x"), "not elf")))
        .isNull();
  }
}
