package dev.cella.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cella.cli.internal.Versions;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VersionsTest {
  @TempDir Path dir;

  private Path jar(String version) throws Exception {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (version != null) {
      manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, version);
    }
    Path jar = dir.resolve("cli-" + version + ".jar");
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, manifest)) {
      j.flush();
    }
    return jar;
  }

  @Test
  void ofJar_readsImplementationVersionFromTheManifest() throws Exception {
    assertThat(Versions.ofJar(jar("7.8.9"))).isEqualTo("7.8.9");
    assertThat(Versions.ofJar(jar(null))).isNull();
  }

  @Test
  void of_classOutsideAJar_saysSoInsteadOfMakingAVersionUp() {
    assertThat(Versions.of(VersionsTest.class)).contains("unknown");
  }
}
