package dev.cella.attestation;

import static dev.cella.attestation.hardware.internal.FuzzChecks.verifyOrRefuse;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.cella.attestation.dcap.internal.Quote;
import dev.cella.attestation.hardware.internal.QuoteSplices;
import dev.cella.attestation.hardware.internal.Vectors;
import dev.cella.attestation.nitro.NitroVerifier;
import dev.cella.attestation.nitro.internal.CoseSign1;
import dev.cella.attestation.nitro.internal.NitroEnvelope;
import dev.cella.attestation.nitro.internal.NitroPayload;
import dev.cella.attestation.sgx.SgxDcapVerifier;
import dev.cella.attestation.snp.SnpVerifier;
import dev.cella.attestation.snp.internal.SnpReport;
import dev.cella.attestation.tdx.TdxVerifier;
import dev.cella.testkit.AllocationBudget;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Fuzz targets for the hardware evidence parsers and verifiers: whatever the bytes, each parser
 * returns a value or throws {@link AttestationException}, and each verifier returns a {@link
 * VerifiedEnclave} or throws {@link AttestationException} that its safety net ({@link
 * Unforeseen}) did not make from an unchecked exception; allocation stays within the budget.
 * Seeds are the real vectors of {@code src/test/resources/vectors} (see {@code SOURCE.md} beside
 * the inputs); every verifier runs at the time its seed's collateral is valid, so that a seed
 * passes every check and mutations are refused one check at a time.
 */
class HardwareEvidenceFuzzTest {
  private static final SgxDcapVerifier SGX = new SgxDcapVerifier();
  private static final TdxVerifier TDX = new TdxVerifier();
  private static final SnpVerifier SNP = new SnpVerifier();
  private static final NitroVerifier NITRO = new NitroVerifier();
  static final String SGX_CASE = "sgx-v3-phala-dcapqvl-2025-06";
  static final String TDX_CASE = "tdx-v4-phala-dcapqvl-2025-06";
  static final String SNP_CASE = "snp-v2-gosevguest-milan-vcek";
  static final String NITRO_CASE = "nitro-blocky-2024-09-07";
  private static final VerificationContext SGX_AT =
      Vectors.at("2025-07-19T10:01:17Z", Vectors.dir("sgx", SGX_CASE));
  private static final VerificationContext TDX_AT =
      Vectors.at("2025-07-19T10:00:34Z", Vectors.dir("tdx", TDX_CASE));
  private static final VerificationContext SNP_AT =
      Vectors.at("2022-09-24T01:00:00Z", Vectors.dir("snp", SNP_CASE));
  private static final VerificationContext NITRO_AT = Vectors.at("2024-09-07T14:37:39.545Z");
  private static final byte[] SGX_QUOTE = Vectors.read("sgx", SGX_CASE, "quote.bin");
  private static final byte[] SNP_REPORT = Vectors.read("snp", SNP_CASE, "report.bin");
  /** A collateral folder whose VCEK file each input of the collateral target overwrites. */
  private static final Path SNP_KEY_DIR = snpKeyDir();

  /** SGX and TDX quotes (v3, v4, v5): {@code Quote.parse} and both DCAP verifiers. */
  @FuzzTest
  void dcapQuote_anyBytes_isVerifiedOrAttestationException(byte[] quote) throws Exception {
    AllocationBudget.check(AllocationBudget.ALLOWANCE + 64L * quote.length, () -> {
      try {
        Quote q = Quote.parse(quote);
        assertThat(q.signedLength()).isLessThanOrEqualTo(q.end());
        assertThat(q.end()).isLessThanOrEqualTo(quote.length);
        assertThat(q.trailingBytes()).isNotNegative();
      } catch (AttestationException refused) {
        // refused by the parser: fine
      }
      verifyOrRefuse(SGX, quote, SGX_AT);
      verifyOrRefuse(TDX, quote, TDX_AT);
    });
  }

  /**
   * The certification data of a real SGX quote (the PCK chain, type 5) replaced by the input:
   * not covered by any signature in the quote, so the PEM reader and the PCK chain checks see it
   * right after the signature checks pass.
   */
  @FuzzTest
  void dcapCertificationData_anyBytes_isVerifiedOrAttestationException(byte[] data)
      throws Exception {
    byte[] quote = QuoteSplices.withCertificationData(SGX_QUOTE, data);
    AllocationBudget.check(AllocationBudget.ALLOWANCE + 64L * quote.length,
        () -> verifyOrRefuse(SGX, quote, SGX_AT));
  }

  /** SEV-SNP attestation reports: {@code SnpReport.parse} and the verifier. */
  @FuzzTest
  void snpReport_anyBytes_isVerifiedOrAttestationException(byte[] report) throws Exception {
    AllocationBudget.check(AllocationBudget.ALLOWANCE + 64L * report.length, () -> {
      try {
        SnpReport r = SnpReport.parse(report);
        assertThat(report).hasSize(SnpReport.LENGTH);
        assertThat(r.version()).isBetween(2, 5);
      } catch (AttestationException refused) {
        // refused by the parser: fine
      }
      verifyOrRefuse(SNP, report, SNP_AT);
    });
  }

  /**
   * The VCEK file of the collateral folder is the input (DER or PEM, as AMD KDS serves it): the
   * collateral reader, the AMD extension parser and the key matching, for a real report.
   */
  @FuzzTest
  void snpCollateral_anyKeyFile_isVerifiedOrAttestationException(byte[] keyFile)
      throws Exception {
    Files.write(SNP_KEY_DIR.resolve("vcek.der"), keyFile);
    VerificationContext at = snpKeyContext();
    AllocationBudget.check(AllocationBudget.ALLOWANCE + 64L * keyFile.length,
        () -> verifyOrRefuse(SNP, SNP_REPORT, at));
  }

  /** AWS Nitro attestation documents (COSE_Sign1 over CBOR): each parser and the verifier. */
  @FuzzTest
  void nitroDocument_anyBytes_isVerifiedOrAttestationException(byte[] document) throws Exception {
    AllocationBudget.check(AllocationBudget.ALLOWANCE + 64L * document.length, () -> {
      boolean recognized = NITRO.recognizes(document);
      try {
        NitroEnvelope envelope = NitroEnvelope.require(document);
        CoseSign1 cose = CoseSign1.parse(envelope);
        assertThat(cose.signature()).hasSize(96);
        assertThat(cose.end()).isLessThanOrEqualTo(envelope.data().length);
        NitroPayload.parse(envelope, cose);
      } catch (AttestationException refused) {
        // refused by a parser: fine
      }
      if (verifyOrRefuse(NITRO, document, NITRO_AT)) {
        assertThat(recognized).as("verified evidence is recognized").isTrue();
      }
    });
  }

  /**
   * The seeds pass every check: the corpus starts from evidence that verifies, so a format or
   * verifier change cannot silently leave the corpus refused at the first byte.
   */
  @Test
  void validSeeds_verify() throws Exception {
    String dcap = "dcapQuote_anyBytes_isVerifiedOrAttestationException";
    assertThat(verifyOrRefuse(SGX, input(dcap, "seed-sgx-v3-phala"), SGX_AT)).isTrue();
    assertThat(verifyOrRefuse(TDX, input(dcap, "seed-tdx-v4-phala"), TDX_AT)).isTrue();
    byte[] chain = input("dcapCertificationData_anyBytes_isVerifiedOrAttestationException",
        "seed-pck-chain");
    assertThat(QuoteSplices.withCertificationData(SGX_QUOTE, chain)).isEqualTo(SGX_QUOTE);
    assertThat(verifyOrRefuse(SNP, input("snpReport_anyBytes_isVerifiedOrAttestationException",
        "seed-v2-milan-vcek"), SNP_AT)).isTrue();
    String keys = "snpCollateral_anyKeyFile_isVerifiedOrAttestationException";
    for (String seed : List.of("seed-vcek-der", "seed-vcek-pem")) {
      snpCollateral_anyKeyFile_isVerifiedOrAttestationException(input(keys, seed));
      assertThat(verifyOrRefuse(SNP, SNP_REPORT, snpKeyContext())).as(seed).isTrue();
    }
    assertThat(verifyOrRefuse(NITRO, input("nitroDocument_anyBytes_isVerifiedOrAttestationException",
        "seed-raw"), NITRO_AT)).isTrue();
  }

  private static byte[] input(String method, String name) throws IOException {
    try (InputStream in = HardwareEvidenceFuzzTest.class.getResourceAsStream(
        "HardwareEvidenceFuzzTestInputs/" + method + "/" + name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }

  private static VerificationContext snpKeyContext() {
    return new VerificationContext(SNP_AT.at(), SNP_AT.extraRoots(), SNP_AT.replaceDefaultRoots(),
        Optional.of(SNP_KEY_DIR));
  }

  private static Path snpKeyDir() {
    try {
      Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "fuzz-snp");
      Files.copy(Vectors.dir("snp", SNP_CASE).resolve("ask_ark_milan.pem"),
          dir.resolve("ask_ark_milan.pem"));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
