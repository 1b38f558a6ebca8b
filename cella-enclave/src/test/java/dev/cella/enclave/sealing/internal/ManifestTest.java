package dev.cella.enclave.sealing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.Bytes;
import dev.cella.enclave.sealing.SealedStorageException;
import java.util.Arrays;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ManifestTest {
  private static Manifest sample() {
    TreeMap<String, Entry> entries = new TreeMap<>();
    entries.put("/", Entry.newDirectory(1));
    entries.put("/dir", Entry.newDirectory(2));
    entries.put("/dir/ünïcode file", new Entry(false, 3, 4, -5, 6, 7,
        Bytes.fromHex("00112233445566778899aabbccddeeff"), Bytes.fromHex("ff".repeat(16))));
    return new Manifest(Bytes.fromHex("ab".repeat(16)), "store", 42, entries);
  }

  @Test
  void encode_thenDecode_givesTheSameManifest() throws Exception {
    Manifest manifest = sample();

    assertThat(Manifest.decode(manifest.encode())).isEqualTo(manifest);
  }

  @Test
  void decode_ofTruncatedOrExtendedEncoding_isRefusedAsUnreadable() {
    byte[] encoded = sample().encode();
    for (byte[] bad : new byte[][] {
        Arrays.copyOf(encoded, encoded.length - 1), Arrays.copyOf(encoded, encoded.length + 1)}) {
      assertThatThrownBy(() -> Manifest.decode(bad))
          .isInstanceOfSatisfying(SealedStorageException.class,
              e -> assertThat(e.reason()).isEqualTo(SealedStorageException.Reason.UNREADABLE));
    }
  }

  @Test
  void decode_ofUnknownVersion_isRefusedAndSaysSo() {
    byte[] encoded = sample().encode();
    encoded[4] = 9;

    assertThatThrownBy(() -> Manifest.decode(encoded)).hasMessageContaining("version 9");
  }
}
