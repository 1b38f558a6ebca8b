package dev.cella.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.bundle.BundleSigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeysTest {
  @TempDir Path dir;

  @Test
  void fromEnvironment_withPemText_givesThatKey() throws Exception {
    Path file = dir.resolve("key.pem");
    try (BundleSigningKey key = BundleSigningKey.generate()) {
      key.writePem(file, false);
      String pem = Files.readString(file);
      try (BundleSigningKey read = SigningKeys.fromEnvironment("SIGNING_KEY", Map.of("SIGNING_KEY", pem)::get)) {
        assertThat(read.signerId()).isEqualTo(key.signerId());
      }
    }
  }

  @Test
  void fromEnvironment_unsetEmptyOrGarbage_isRefusedNamingTheVariable() {
    assertThatThrownBy(() -> SigningKeys.fromEnvironment("K", name -> null))
        .isInstanceOf(InvalidKeyException.class).hasMessageContaining("K").hasMessageContaining("not set");
    assertThatThrownBy(() -> SigningKeys.fromEnvironment("K", name -> " "))
        .isInstanceOf(InvalidKeyException.class).hasMessageContaining("empty");
    assertThatThrownBy(() -> SigningKeys.fromEnvironment("K", name -> "hello"))
        .isInstanceOf(InvalidKeyException.class).hasMessageContaining("environment variable K");
  }

  @Test
  void fromFile_missing_saysHowToMakeOne() {
    assertThatThrownBy(() -> SigningKeys.fromFile(dir.resolve("none.pem")))
        .isInstanceOf(InvalidKeyException.class).hasMessageContaining("keygen");
  }
}
