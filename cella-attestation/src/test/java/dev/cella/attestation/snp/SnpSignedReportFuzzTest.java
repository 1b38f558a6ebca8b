package dev.cella.attestation.snp;

import static dev.cella.attestation.hardware.internal.FuzzChecks.verifyOrRefuse;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.cella.PlatformKind;
import dev.cella.attestation.VerificationContext;
import dev.cella.attestation.hardware.internal.TestPki;
import dev.cella.attestation.hardware.internal.TestPki.Issued;
import dev.cella.attestation.snp.internal.SnpReport;
import dev.cella.testkit.AllocationBudget;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Fuzz target for what an SEV-SNP report's signature covers: the input's first {@code 0x2A0}
 * bytes (padded or cut to a report) are signed by a VCEK made for this run, under a test ASK and
 * ARK the context trusts, so that the fuzzer reaches every check after the signature: the
 * signing-key field, VCEK matching by TCB and chip id, product and CPUID family, the chain and
 * the result. The seeds carry the TCB and chip id of that VCEK, not its key. Whatever the bytes,
 * {@link SnpVerifier} returns a result or an {@code AttestationException} not made by its safety
 * net.
 */
class SnpSignedReportFuzzTest {
  static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  static final byte[] HW_ID = HexFormat.of().parseHex("1122334455667788");
  static final long TCB = TestSnpReport.turinTcb(3, 1, 0, 20, 9);
  private static final SnpVerifier VERIFIER = new SnpVerifier();
  private static final Pki PKI = Pki.create();

  @FuzzTest
  void verify_signedAnyReport_isVerifiedOrAttestationException(byte[] input) throws Exception {
    byte[] report = PKI.sign(Arrays.copyOf(input, SnpReport.LENGTH));
    AllocationBudget.check(AllocationBudget.ALLOWANCE + 64L * report.length,
        () -> verifyOrRefuse(VERIFIER, report, PKI.context()));
  }

  /** The committed seeds verify once signed: mutations start from a report that passes. */
  @Test
  void validSeeds_verify() throws Exception {
    for (String seed : List.of("seed-turin", "seed-turin-debug")) {
      byte[] report;
      try (InputStream in = getClass().getResourceAsStream("SnpSignedReportFuzzTestInputs/"
          + "verify_signedAnyReport_isVerifiedOrAttestationException/" + seed)) {
        assertThat(in).as(seed).isNotNull();
        report = in.readAllBytes();
      }
      assertThat(VERIFIER.verify(PKI.sign(report), PKI.context()).platform())
          .isEqualTo(PlatformKind.SNP);
    }
  }

  /** A Turin test ARK, ASK and VCEK made for this run; the collateral folder is under target/. */
  record Pki(Issued ark, PrivateKey vcekKey, Path collateral) {
    static Pki create() {
      try {
        Issued ark = TestPki.root("CN=ARK-Turin-fuzz", "secp384r1", T0.minusSeconds(99999),
            T0.plus(Duration.ofDays(999)));
        Issued ask = TestPki.issue(ark, "CN=SEV-Turin", "secp384r1", T0.minusSeconds(99999),
            T0.plus(Duration.ofDays(999)), true);
        KeyPair vcekKey = TestPki.ec("secp384r1");
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")),
            "fuzz-snp-signed");
        Files.write(dir.resolve("vcek.der"), TestSnpReport.vcek(ask, vcekKey, "Turin", HW_ID,
            new int[] {1, 0, 20, 0, 0, 0, 0, 9, 3}, T0).getEncoded());
        Files.write(dir.resolve("ask.der"), ask.cert().getEncoded());
        return new Pki(ark, vcekKey.getPrivate(), dir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (Exception e) {
        throw new IllegalStateException("cannot make the test PKI", e);
      }
    }

    /** {@code report} with its signature over bytes 0x000-0x29F replaced by this run's VCEK's. */
    byte[] sign(byte[] report) {
      try {
        Signature s = Signature.getInstance("SHA384withECDSAinP1363Format");
        s.initSign(vcekKey);
        s.update(report, 0, SnpReport.SIGNED_LENGTH);
        byte[] rs = s.sign();
        byte[] out = report.clone();
        Arrays.fill(out, SnpReport.SIGNED_LENGTH, SnpReport.SIGNED_LENGTH + 144, (byte) 0);
        for (int i = 0; i < 48; i++) {
          out[0x2A0 + i] = rs[47 - i];
          out[0x2E8 + i] = rs[95 - i];
        }
        return out;
      } catch (Exception e) {
        throw new IllegalStateException("cannot sign", e);
      }
    }

    VerificationContext context() {
      return new VerificationContext(T0, List.of(ark.cert()), true, Optional.of(collateral));
    }
  }
}
