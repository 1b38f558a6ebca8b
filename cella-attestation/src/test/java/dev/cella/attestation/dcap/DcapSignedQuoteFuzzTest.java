package dev.cella.attestation.dcap;

import static dev.cella.attestation.hardware.internal.FuzzChecks.verifyOrRefuse;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.cella.attestation.AttestationException;
import dev.cella.attestation.VerificationContext;
import dev.cella.attestation.sgx.SgxDcapVerifier;
import dev.cella.testkit.AllocationBudget;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Fuzz target for what a DCAP quote's signatures cover: the input is a quote whose header, body,
 * QE report and QE authentication data the fuzzer chose; {@link TestDcap#resign} makes it pass
 * this run's attestation-key and QE-report signatures under a test PKI the context trusts, so
 * that the fuzzer reaches the PCK chain, the CRLs, the QE identity check, TCB level matching and
 * the status convergence. Whatever the bytes, {@link SgxDcapVerifier} returns a result or an
 * {@code AttestationException} not made by its safety net.
 */
class DcapSignedQuoteFuzzTest {
  private static final SgxDcapVerifier VERIFIER = new SgxDcapVerifier();
  private static final TestDcap WORLD = new TestDcap();
  private static final VerificationContext CONTEXT = context();

  @FuzzTest
  void verify_resignedAnyQuote_isVerifiedOrAttestationException(byte[] input) throws Exception {
    byte[] quote;
    try {
      quote = WORLD.resign(input);
    } catch (AttestationException | IllegalArgumentException notAQuote) {
      return; // the parser refused it: dcapQuote_anyBytes covers that part
    }
    AllocationBudget.check(AllocationBudget.ALLOWANCE + 64L * quote.length,
        () -> verifyOrRefuse(VERIFIER, quote, CONTEXT));
  }

  /** The committed seeds verify once re-signed: mutations start from a quote that passes. */
  @Test
  void validSeeds_verify() throws Exception {
    for (String seed : List.of("seed-v3", "seed-v4")) {
      byte[] quote;
      try (InputStream in = getClass().getResourceAsStream("DcapSignedQuoteFuzzTestInputs/"
          + "verify_resignedAnyQuote_isVerifiedOrAttestationException/" + seed)) {
        assertThat(in).as(seed).isNotNull();
        quote = in.readAllBytes();
      }
      assertThat(VERIFIER.verify(WORLD.resign(quote), CONTEXT).productId()).isEqualTo(7);
    }
  }

  private static VerificationContext context() {
    try {
      Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")),
          "fuzz-dcap-signed");
      return new VerificationContext(TestDcap.T0, List.of(WORLD.root.cert()), true,
          Optional.of(WORLD.collateral(dir)));
    } catch (Exception e) {
      throw new IllegalStateException("cannot write the collateral", e);
    }
  }
}
