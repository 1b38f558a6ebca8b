package dev.cella.attestation.dcap;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the seeds of {@link DcapSignedQuoteFuzzTest}: SGX quotes v3 and v4 made by {@link
 * TestDcap} (its keys do not matter: the target signs every input again). Not part of the build:
 * {@code ./mvnw -pl cella-attestation -am test -Dtest=DcapFuzzSeedsWriter
 * -Dsurefire.failIfNoSpecifiedTests=false -Dcella.fuzz.writeSeeds=true}.
 */
@EnabledIfSystemProperty(named = "cella.fuzz.writeSeeds", matches = "true")
class DcapFuzzSeedsWriter {
  @Test
  void writeSeeds() throws Exception {
    Path dir = Files.createDirectories(Path.of("src/test/resources/dev/cella/attestation/dcap/"
        + "DcapSignedQuoteFuzzTestInputs/verify_resignedAnyQuote_isVerifiedOrAttestationException"));
    TestDcap world = new TestDcap();
    Files.write(dir.resolve("seed-v3"), world.quote(3));
    Files.write(dir.resolve("seed-v4"), world.quote(4));
  }
}
