package dev.cella.attestation.sgx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.PlatformKind;
import dev.cella.attestation.AttestationException;
import dev.cella.attestation.AttestationException.Reason;
import dev.cella.attestation.ClaimNames;
import dev.cella.attestation.TcbStatus;
import dev.cella.attestation.VerificationContext;
import dev.cella.attestation.VerifiedEnclave;
import dev.cella.attestation.hardware.internal.Vectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every SGX case of the shared vectors, at its sidecar's time and today. */
class SgxVectorsTest {
  private static final String PHALA_2025 = "sgx-v3-phala-dcapqvl-2025-06";
  private static final String PHALA_2023 = "sgx-v3-phala-dcapqvl-2023-11";
  private static final String OCCLUM = "sgx-v3-occlum-trustee-tcbinfo-v2-2025-06";
  private static final String QVL = "sgx-v3-intel-qvl-sample-testroot";
  private final SgxDcapVerifier verifier = new SgxDcapVerifier();

  private VerifiedEnclave verify(String name, String file, String at) throws Exception {
    byte[] quote = Vectors.read("sgx", name, file);
    assertThat(verifier.recognizes(quote)).isTrue();
    return verifier.verify(quote, Vectors.at(at, Vectors.dir("sgx", name)));
  }

  static void assertRefused(ThrowingCallable call, Reason reason, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(AttestationException.class,
            e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageContaining(message);
  }

  @Test
  void phala2025_insideTheWindow_isConfigurationAndSwHardeningNeededWithItsAdvisories()
      throws Exception {
    VerifiedEnclave e = verify(PHALA_2025, "quote.bin", "2025-07-19T10:01:17Z");

    assertThat(e.platform()).isEqualTo(PlatformKind.SGX);
    assertThat(e.format()).isEqualTo("sgx-dcap-v3");
    assertThat(e.tcb().orElseThrow().status())
        .isEqualTo(TcbStatus.CONFIGURATION_AND_SW_HARDENING_NEEDED);
    assertThat(e.tcb().orElseThrow().advisoryIds())
        .containsExactly("INTEL-SA-00289", "INTEL-SA-00615");
    assertThat(e.measurement().hex())
        .isEqualTo("33d8736db756ed4997e04ba358d27833188f1932ff7b1d156904d3f560452fbb");
    assertThat(e.signer().orElseThrow().hex())
        .isEqualTo("815f42f11cf64430c30bab7816ba596a1da0130c3b028b673133a66cf9a3e0e6");
    assertThat(new String(e.reportData().toByteArray(), 0, 13, "US-ASCII"))
        .isEqualTo("Hello, world!");
    assertThat(e.debug()).isFalse();
    assertThat(e.productId()).isZero();
    assertThat(e.claims())
        .containsEntry(ClaimNames.FMSPC, "00a067110000")
        .containsEntry(ClaimNames.ATTRIBUTES, "0500000000000000e700000000000000")
        .containsEntry(ClaimNames.CPU_SVN, "0b0b1a18ffff04000000000000000000")
        .containsEntry(ClaimNames.MISCSELECT, "00000000")
        .containsEntry(ClaimNames.TCB_DATE, "2024-03-13T00:00:00Z")
        .containsEntry(ClaimNames.TCB_EVALUATION_NUMBER, "17");
  }

  @Test
  void phala2025_today_failsAsExpired() {
    assertRefused(() -> verify(PHALA_2025, "quote.bin", Vectors.TODAY.toString()),
        Reason.EXPIRED, "verification time 2026-12-03T00:00:00Z");
  }

  @Test
  void phala2023_insideItsWindow_givesTheSameStatus() throws Exception {
    VerifiedEnclave e = verify(PHALA_2023, "quote.bin", "2023-12-01T00:00:00Z");

    assertThat(e.tcb().orElseThrow().status())
        .isEqualTo(TcbStatus.CONFIGURATION_AND_SW_HARDENING_NEEDED);
    assertThat(e.tcb().orElseThrow().advisoryIds())
        .containsExactly("INTEL-SA-00289", "INTEL-SA-00615");
    assertThat(e.claims()).containsEntry(ClaimNames.TCB_EVALUATION_NUMBER, "16");
  }

  @Test
  void phala2023_atTheSourcesTestTime_isBeforeTheCollateralWasIssued() {
    assertRefused(() -> verify(PHALA_2023, "quote.bin", "2023-11-06T20:03:20Z"), Reason.EXPIRED,
        "is not yet valid");
  }

  @Test
  void phala2023_today_failsAsExpired() {
    assertRefused(() -> verify(PHALA_2023, "quote.bin", Vectors.TODAY.toString()),
        Reason.EXPIRED, "has expired");
  }

  @Test
  void occlum_withSupplementedCrls_isOutOfDate() throws Exception {
    VerifiedEnclave e = verify(OCCLUM, "quote.dat", "2025-06-25T00:00:00Z");

    assertThat(e.tcb().orElseThrow().status()).isEqualTo(TcbStatus.OUT_OF_DATE);
    assertThat(e.tcb().orElseThrow().advisoryIds()).isEmpty();
    assertThat(new String(e.reportData().toByteArray(), 0, 4, "US-ASCII")).isEqualTo("test");
    assertThat(e.measurement().hex())
        .isEqualTo("8f173e4613ff05c52aaf04162d234edae8c9977eae47eb2299ae16a553011c68");
    assertThat(e.claims()).containsEntry(ClaimNames.MISCSELECT, "01000000")
        .containsEntry(ClaimNames.FMSPC, "00606a000000");
  }

  @Test
  void occlum_asShippedWithoutCrls_isMissingCollateral(@TempDir Path dir) throws IOException {
    Path source = Vectors.dir("sgx", OCCLUM);
    for (String f : List.of("intel_sgx_root_ca.der", "qe_identity.json", "tcb_info_v2.json",
        "tcb_signing.der")) {
      Files.copy(source.resolve(f), dir.resolve(f));
    }
    byte[] quote = Vectors.read("sgx", OCCLUM, "quote.dat");

    assertRefused(() -> verifier.verify(quote, Vectors.at("2025-06-25T00:00:00Z", dir)),
        Reason.MISSING_COLLATERAL, "no CRL signed by 'C=US,ST=CA,L=Santa Clara,O=Intel Corporation,CN=Intel SGX Root CA'");
  }

  @Test
  void occlum_today_failsAsExpired() {
    assertRefused(() -> verify(OCCLUM, "quote.dat", Vectors.TODAY.toString()), Reason.EXPIRED,
        "has expired");
  }

  @Test
  void qvlSample_underItsTestRoot_isUpToDate() throws Exception {
    X509Certificate testRoot = Vectors.certificates("sgx", QVL, "trustedRootCaCert.pem").get(0);
    byte[] quote = Vectors.read("sgx", QVL, "quote.dat");

    VerifiedEnclave e = verifier.verify(quote, Vectors.onlyRoots("2025-01-01T00:00:00Z",
        Optional.of(Vectors.dir("sgx", QVL)), testRoot));

    assertThat(e.tcb().orElseThrow().status()).isEqualTo(TcbStatus.UP_TO_DATE);
    assertThat(e.measurement().hex()).isEqualTo("00".repeat(32));
    assertThat(e.claims()).containsEntry(ClaimNames.FMSPC, "00707f000000");
  }

  @Test
  void qvlSample_underTheProductionRoot_isRefused() {
    assertRefused(() -> verify(QVL, "quote.dat", "2025-01-01T00:00:00Z"), Reason.UNTRUSTED_ROOT,
        "a trusted root has this name but another key");
  }

  @Test
  void qvlSample_today_failsAsExpiredEvenUnderItsTestRoot() {
    X509Certificate testRoot = Vectors.certificates("sgx", QVL, "trustedRootCaCert.pem").get(0);
    byte[] quote = Vectors.read("sgx", QVL, "quote.dat");

    assertRefused(() -> verifier.verify(quote, Vectors.onlyRoots(Vectors.TODAY.toString(),
        Optional.of(Vectors.dir("sgx", QVL)), testRoot)), Reason.EXPIRED, "has expired");
  }

  @Test
  void phala2025_withoutCollateral_isMissingCollateral() {
    byte[] quote = Vectors.read("sgx", PHALA_2025, "quote.bin");

    assertRefused(() -> verifier.verify(quote, VerificationContext.now()),
        Reason.MISSING_COLLATERAL, "no QE identity among the collateral;");
  }
}
