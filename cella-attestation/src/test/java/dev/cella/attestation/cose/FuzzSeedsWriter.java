package dev.cella.attestation.cose;

import dev.cella.Bytes;
import dev.cella.EnclaveIdentity;
import dev.cella.Measurement;
import dev.cella.PlatformKind;
import dev.cella.SignerId;
import dev.cella.attestation.ClaimNames;
import dev.cella.attestation.cose.internal.EvidenceClaims;
import dev.cella.attestation.platform.SoftwarePlatform;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes the seeds of {@link CellaEvidenceFuzzTest}: evidence issued by a sim platform created
 * for the purpose (dated {@link CellaEvidenceFuzzTest#ISSUED}; its root certificate is written
 * beside the test as {@value CellaEvidenceFuzzTest#ROOT}, its keys are thrown away), and claims
 * payloads of each software platform. Not part of the build: {@code ./mvnw -pl cella-attestation
 * -am test -Dtest=FuzzSeedsWriter -Dsurefire.failIfNoSpecifiedTests=false
 * -Dcella.fuzz.writeSeeds=true} (docs/fuzzing.md).
 */
@EnabledIfSystemProperty(named = "cella.fuzz.writeSeeds", matches = "true")
class FuzzSeedsWriter {
  private static final Path RESOURCES = Path.of("src/test/resources/dev/cella/attestation/cose");
  private static final Path INPUTS = RESOURCES.resolve("CellaEvidenceFuzzTestInputs");
  private static final Map<String, String> FACTS =
      Map.of(ClaimNames.JDK_VERSION, "25", ClaimNames.BACKEND_VERSION, "sim-0.1.0");

  @TempDir Path temp;

  @Test
  void writeSeeds() throws Exception {
    Clock clock = Clock.fixed(CellaEvidenceFuzzTest.ISSUED, ZoneOffset.UTC);
    try (SoftwarePlatform sim = SoftwarePlatform.open(PlatformKind.SIM, temp.resolve("sim"), clock)) {
      Files.createDirectories(RESOURCES);
      Files.writeString(RESOURCES.resolve(CellaEvidenceFuzzTest.ROOT), pem(sim), StandardCharsets.US_ASCII);
      EnclaveIdentity identity = identity(PlatformKind.SIM);
      String evidence = "verify_anyEvidence_isVerifiedOrAttestationException";
      write(evidence, "valid", sim.issueEvidence(identity, bytes(32, 1), bytes(64, 2), FACTS));
      write(evidence, "empty-bindings", sim.issueEvidence(identity, new byte[0], new byte[0], FACTS));
    }
    String claims = "verify_signedAnyClaims_isVerifiedOrAttestationException";
    write(claims, "sim", claims(PlatformKind.SIM, Optional.empty()).encode());
    write(claims, "process", claims(PlatformKind.PROCESS, Optional.empty()).encode());
    write(claims, "vm-image", claims(PlatformKind.VM, Optional.of(Bytes.of(bytes(48, 3)))).encode());
  }

  private static EvidenceClaims claims(PlatformKind kind, Optional<Bytes> image) {
    return new EvidenceClaims(kind, CellaEvidence.securityLevelOf(kind), Bytes.of(bytes(48, 4)),
        Bytes.of(bytes(48, 5)), 7, 2, false, Bytes.of(bytes(16, 6)), Bytes.of(bytes(64, 7)),
        CellaEvidenceFuzzTest.ISSUED.getEpochSecond(), "25", "sim-0.1.0", image);
  }

  private static EnclaveIdentity identity(PlatformKind kind) {
    return new EnclaveIdentity(Measurement.of(bytes(48, 8)), SignerId.of(bytes(48, 9)), 7, 2, false,
        kind);
  }

  private static byte[] bytes(int length, int fill) {
    byte[] b = new byte[length];
    Arrays.fill(b, (byte) fill);
    return b;
  }

  private static String pem(SoftwarePlatform platform) throws Exception {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'})
            .encodeToString(platform.rootCertificate().getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }

  private static void write(String method, String name, byte[] bytes) throws Exception {
    Path dir = INPUTS.resolve(method);
    Files.createDirectories(dir);
    Files.write(dir.resolve("seed-" + name), bytes);
  }
}
