package dev.cella.attestation.platform;

import dev.cella.PlatformKind;
import dev.cella.attestation.AttestationPolicy;
import dev.cella.attestation.Fixtures;
import dev.cella.attestation.internal.PlatformCertificates;
import java.nio.file.Path;

/**
 * Runs in a child JVM for {@link SoftwarePlatformTest}: opens the platform {@code args[0]} in
 * {@code args[1]}, prints its root's fingerprint, and with {@code issue-twice} issues evidence
 * twice, with {@code policy-twice} builds two insecure policies (the test counts the warnings on
 * stderr).
 */
public final class PlatformChild {
  private PlatformChild() {}

  public static void main(String[] args) {
    PlatformKind kind = PlatformKind.fromId(args[0]);
    try (SoftwarePlatform platform = SoftwarePlatform.open(kind, Path.of(args[1]))) {
      if (args.length > 2 && args[2].equals("policy-twice")) {
        for (int i = 0; i < 2; i++) {
          AttestationPolicy.parse("identity=any insecure=accept-simulated");
        }
      }
      if (args.length > 2 && args[2].equals("issue-twice")) {
        for (int i = 0; i < 2; i++) {
          platform.issueEvidence(Fixtures.identity(kind), new byte[0], new byte[0], Fixtures.FACTS);
        }
      }
      System.out.println(PlatformCertificates.sha256Fingerprint(platform.rootCertificate()));
    }
  }
}
