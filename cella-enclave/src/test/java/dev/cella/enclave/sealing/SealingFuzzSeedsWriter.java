package dev.cella.enclave.sealing;

import static java.nio.charset.StandardCharsets.US_ASCII;

import dev.cella.Bytes;
import dev.cella.enclave.sealing.internal.Entry;
import dev.cella.enclave.sealing.internal.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the seeds of {@link SealingFuzzTest}: blobs sealed by the fixed test platform's keys and
 * a manifest table made by the real encoder. Not part of the build: {@code ./mvnw -pl
 * cella-enclave -am test -Dtest=SealingFuzzSeedsWriter -Dsurefire.failIfNoSpecifiedTests=false
 * -Dcella.fuzz.writeSeeds=true} (docs/fuzzing.md).
 */
@EnabledIfSystemProperty(named = "cella.fuzz.writeSeeds", matches = "true")
class SealingFuzzSeedsWriter {
  private static final Path INPUTS =
      Path.of("src/test/resources/dev/cella/enclave/sealing/SealingFuzzTestInputs");

  @Test
  void writeSeeds() throws Exception {
    byte[] secret = "a sealed secret".getBytes(US_ASCII);
    String unseal = "unseal_anyBlob_isPlaintextOrUnsealException";
    write(unseal, "signer", SealingFuzzTest.SIGNER.seal(secret, SealingFuzzTest.ASSOCIATED_DATA));
    write(unseal, "measurement",
        SealingFuzzTest.MEASUREMENT.seal(secret, SealingFuzzTest.ASSOCIATED_DATA));
    byte[] table = table().encode();
    write("manifest_anyPlaintext_decodesToAFixedPointOrSealedStorageException", "table", table);
    write("openStore_anySealedManifest_opensOrSealedStorageException", "table", table);
  }

  private static Manifest table() {
    long t = 1_767_225_600_000_000_000L;
    Map<String, Entry> entries = new TreeMap<>();
    entries.put("/", Entry.newDirectory(t));
    entries.put("/a", Entry.newDirectory(t + 1));
    entries.put("/a/f", new Entry(false, t + 2, t + 3, 0x1122334455667788L, 2, 5,
        Bytes.of(fill(16, 0x0a)), Bytes.of(fill(16, 0x0b))));
    return new Manifest(Bytes.of(fill(16, 0x5e)), SealingFuzzTest.STORE, 1, new TreeMap<>(entries));
  }

  private static byte[] fill(int length, int value) {
    byte[] b = new byte[length];
    Arrays.fill(b, (byte) value);
    return b;
  }

  private static void write(String method, String name, byte[] data) throws Exception {
    Path dir = Files.createDirectories(INPUTS.resolve(method));
    Files.write(dir.resolve("seed-" + name), data);
  }
}
