package dev.cella.attestation.snp;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the seeds of {@link SnpSignedReportFuzzTest}: Turin reports made by {@link
 * TestSnpReport} with the TCB and chip id of the target's VCEK (the signature is the target's to
 * make). Not part of the build: {@code ./mvnw -pl cella-attestation -am test
 * -Dtest=SnpFuzzSeedsWriter -Dsurefire.failIfNoSpecifiedTests=false -Dcella.fuzz.writeSeeds=true}.
 */
@EnabledIfSystemProperty(named = "cella.fuzz.writeSeeds", matches = "true")
class SnpFuzzSeedsWriter {
  @Test
  void writeSeeds() throws Exception {
    Path dir = Files.createDirectories(Path.of("src/test/resources/dev/cella/attestation/snp/"
        + "SnpSignedReportFuzzTestInputs/verify_signedAnyReport_isVerifiedOrAttestationException"));
    var key = SnpSignedReportFuzzTest.Pki.create();
    TestSnpReport r = new TestSnpReport();
    r.reportedTcb = SnpSignedReportFuzzTest.TCB;
    System.arraycopy(SnpSignedReportFuzzTest.HW_ID, 0, r.chipId, 0, 8);
    r.reportData[0] = 0x42;
    Files.write(dir.resolve("seed-turin"), r.sign(key.vcekKey()));
    r.policy |= 1L << 19;
    Files.write(dir.resolve("seed-turin-debug"), r.sign(key.vcekKey()));
  }
}
