package dev.cella.attestation.nitro;

import dev.cella.attestation.hardware.internal.TestPki;
import dev.cella.attestation.hardware.internal.TestPki.Issued;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the seeds of {@link NitroPayloadFuzzTest}: a throw-away chain made for the purpose (root
 * certificate and the leaf's PKCS#8 key committed beside the test, the other keys thrown away)
 * and payloads made by {@link TestNitroDocument}. Not part of the build: {@code ./mvnw -pl
 * cella-attestation -am test -Dtest=NitroFuzzSeedsWriter -Dsurefire.failIfNoSpecifiedTests=false
 * -Dcella.fuzz.writeSeeds=true} (docs/fuzzing.md).
 */
@EnabledIfSystemProperty(named = "cella.fuzz.writeSeeds", matches = "true")
class NitroFuzzSeedsWriter {
  private static final Path RESOURCES = Path.of("src/test/resources/dev/cella/attestation/nitro");

  @Test
  void writeSeeds() throws Exception {
    var t0 = NitroPayloadFuzzTest.T0;
    Issued root = TestPki.root("CN=nitro-fuzz-root,O=Cella fuzzing", "secp384r1",
        t0.minus(Duration.ofDays(1)), t0.plus(Duration.ofDays(3650)));
    Issued zonal = TestPki.issue(root, "CN=nitro-fuzz-zonal", "secp384r1",
        t0.minus(Duration.ofHours(1)), t0.plus(Duration.ofDays(3650)), true);
    Issued leaf = TestPki.issue(zonal, "CN=nitro-fuzz-enclave", "secp384r1",
        t0.minusSeconds(3), t0.plus(Duration.ofDays(3650)), false);
    Files.createDirectories(RESOURCES);
    Files.writeString(RESOURCES.resolve(NitroPayloadFuzzTest.ROOT), "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(root.cert().getEncoded())
        + "\n-----END CERTIFICATE-----\n", StandardCharsets.US_ASCII);
    Files.write(RESOURCES.resolve(NitroPayloadFuzzTest.LEAF_KEY), leaf.key().getEncoded());

    TestNitroDocument full = new TestNitroDocument(List.of(root.cert(), zonal.cert()), leaf,
        t0.toEpochMilli());
    full.userData = "user data".getBytes(StandardCharsets.US_ASCII);
    full.nonce = new byte[16];
    full.publicKey = new byte[32];
    TestNitroDocument minimal = new TestNitroDocument(List.of(root.cert(), zonal.cert()), leaf,
        t0.toEpochMilli());
    Path inputs = Files.createDirectories(RESOURCES.resolve(
        "NitroPayloadFuzzTestInputs/verify_signedAnyPayload_isVerifiedOrAttestationException"));
    Files.write(inputs.resolve("seed-full"), full.payload());
    Files.write(inputs.resolve("seed-minimal"), minimal.payload());
  }
}
