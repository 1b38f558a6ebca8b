package dev.cella.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.bundle.BundleSigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeygenMojoTest {
  @TempDir Path dir;
  private final List<String> log = new ArrayList<>();

  private KeygenMojo mojo(Path key) {
    KeygenMojo mojo = new KeygenMojo();
    mojo.setLog(Recorders.log(log));
    mojo.keyFile = key.toFile();
    return mojo;
  }

  @Test
  void keygen_writesAnOwnerOnlyKeyThatReadsBack() throws Exception {
    Path key = dir.resolve("keys/signing.pem");
    mojo(key).execute();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    try (BundleSigningKey read = BundleSigningKey.readPem(key)) {
      assertThat(log).anyMatch(l -> l.contains(read.signerId().hex()));
    }
  }

  @Test
  void keygen_existingKey_isKeptOrRefusedOrReplacedAsAsked() throws Exception {
    Path key = dir.resolve("signing.pem");
    mojo(key).execute();
    byte[] first = Files.readAllBytes(key);
    assertThatThrownBy(() -> mojo(key).execute())
        .isInstanceOf(MojoFailureException.class).hasMessageContaining("already exists");
    KeygenMojo keep = mojo(key);
    keep.skipIfExists = true;
    keep.execute();
    assertThat(Files.readAllBytes(key)).isEqualTo(first);
    KeygenMojo replace = mojo(key);
    replace.force = true;
    replace.execute();
    assertThat(Files.readAllBytes(key)).isNotEqualTo(first);
  }
}
