package dev.cella.attestation.tdx;

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
import dev.cella.attestation.sgx.SgxDcapVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every TDX case of the shared vectors, at its sidecar's time and today. */
class TdxVectorsTest {
  private static final List<String> OUT_OF_DATE_ADVISORIES =
      List.of("INTEL-SA-00960", "INTEL-SA-00982", "INTEL-SA-00986");
  private final TdxVerifier verifier = new TdxVerifier();

  private VerifiedEnclave verify(String name, String file, String at) throws Exception {
    byte[] quote = Vectors.read("tdx", name, file);
    assertThat(verifier.recognizes(quote)).isTrue();
    return verifier.verify(quote, Vectors.at(at, Vectors.dir("tdx", name)));
  }

  static void assertRefused(ThrowingCallable call, Reason reason, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(AttestationException.class,
            e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageContaining(message);
  }

  @Test
  void automataV4_withZeroPadding_isOutOfDateWithItsAdvisories() throws Exception {
    VerifiedEnclave e = verify("tdx-v4-automata-00806f050000-2025-07", "quote.bin",
        "2025-07-20T00:00:00Z");

    assertThat(e.platform()).isEqualTo(PlatformKind.TDX);
    assertThat(e.format()).isEqualTo("tdx-dcap-v4");
    assertThat(e.tcb().orElseThrow().status()).isEqualTo(TcbStatus.OUT_OF_DATE);
    assertThat(e.tcb().orElseThrow().advisoryIds()).containsExactlyElementsOf(
        OUT_OF_DATE_ADVISORIES);
    assertThat(e.measurement().hex()).isEqualTo("935be7742dd89c6a4df6dba8353d89041ae0f052beef99"
        + "3b1e7f4524d3bc57650df20e5582158352e1240b3f1fed55d8");
    assertThat(e.debug()).isFalse();
    assertThat(e.claims())
        .containsEntry(ClaimNames.TEE_TCB_SVN, "04010700000000000000000000000000")
        .containsEntry(ClaimNames.TD_ATTRIBUTES, "0000001000000000")
        .containsEntry(ClaimNames.XFAM, "e700060000000000")
        .containsEntry(ClaimNames.FMSPC, "00806f050000")
        .doesNotContainKey(ClaimNames.TEE_TCB_SVN2);
  }

  /**
   * The sidecar derives OutOfDate by comparing TEE_TCB_SVN from byte 0. Intel's rule (QVL
   * TcbLevelCheck, go-tdx-guest, dcap-qvl) compares from byte 2 when byte 1 (the TDX module
   * version) is set: 07 reaches the first level's 7, and the PCK's SGX components [7,7,2,2,3,1,0,3]
   * reach it too, so the platform is UpToDate. (The automata quote, same FMSPC, has a PCK with
   * [6,6,...] and lands on the OutOfDate level.)
   */
  @Test
  void cos113_withTheSupplementedRootCrl_isUpToDateByIntelsRuleWithItsRtmrs() throws Exception {
    VerifiedEnclave e = verify("tdx-v4-gotdxguest-cos113-gcp-2025-10", "quote.dat",
        "2025-10-20T00:00:00Z");

    assertThat(e.tcb().orElseThrow().status()).isEqualTo(TcbStatus.UP_TO_DATE);
    assertThat(e.tcb().orElseThrow().advisoryIds()).isEmpty();
    assertThat(e.claims()).containsEntry(ClaimNames.TCB_DATE, "2024-03-13T00:00:00Z");
    assertThat(e.reportData().hex()).isEqualTo("00".repeat(64));
    assertThat(e.claims()).containsEntry(ClaimNames.RTMR0, "3fa2f61f395b7f5feefb4ec2df61297f109"
        + "ad8abcd6410c1b7df60f21f37b19297fc35e544039c7e1edece752afd17f6");
  }

  @Test
  void cos113_asShippedWithoutTheRootCrl_isMissingCollateral(@TempDir Path dir)
      throws Exception {
    Path source = Vectors.dir("tdx", "tdx-v4-gotdxguest-cos113-gcp-2025-10");
    try (var files = Files.list(source)) {
      for (Path f : files.toList()) {
        if (!f.getFileName().toString().startsWith("supplemented")) {
          Files.copy(f, dir.resolve(f.getFileName()));
        }
      }
    }
    byte[] quote = Files.readAllBytes(dir.resolve("quote.dat"));

    assertRefused(() -> verifier.verify(quote, Vectors.at("2025-10-20T00:00:00Z", dir)),
        Reason.MISSING_COLLATERAL, "CN=Intel SGX Root CA' among the collateral");
  }

  @Test
  void sprE4_noTcbLevelMatches_isRefused() {
    assertRefused(() -> verify("tdx-v4-gotdxguest-spr-e4-2023-06", "quote.dat",
        "2023-07-01T01:00:00Z"), Reason.TCB_NOT_ACCEPTED,
        "TCB level not supported: no TCB level of the TDX TCB info for FMSPC 50806f000000");
  }

  @Test
  void qvlSample_underItsTestRoot_failsOnTheQeIdentitysMrsigner() {
    String name = "tdx-v4-intel-qvl-sample-testroot";
    X509Certificate testRoot = Vectors.certificates("tdx", name, "trustedRootCaCert.pem").get(0);
    byte[] quote = Vectors.read("tdx", name, "quote.dat");

    assertRefused(() -> verifier.verify(quote, Vectors.onlyRoots("2025-01-01T00:00:00Z",
        Optional.of(Vectors.dir("tdx", name)), testRoot)), Reason.BROKEN_CHAIN, "MRSIGNER");
  }

  @Test
  void qvlSample_underTheProductionRoot_isUntrusted() {
    assertRefused(() -> verify("tdx-v4-intel-qvl-sample-testroot", "quote.dat",
        "2025-01-01T00:00:00Z"), Reason.UNTRUSTED_ROOT, "another key");
  }

  @Test
  void phala2024_sgxQeIdentityForATdxQuote_isRefused() {
    assertRefused(() -> verify("tdx-v4-phala-dcapqvl-2024-09-wrong-qe-identity", "quote.bin",
        "2024-09-10T00:00:00Z"), Reason.MISSING_COLLATERAL,
        "no TD_QE identity among the collateral (found: QE)");
  }

  @Test
  void phala2024_today_isStillRefusedForItsQeIdentity() {
    assertRefused(() -> verify("tdx-v4-phala-dcapqvl-2024-09-wrong-qe-identity", "quote.bin",
        Vectors.TODAY.toString()), Reason.MISSING_COLLATERAL, "no TD_QE identity");
  }

  @Test
  void phala2025_isUpToDate() throws Exception {
    VerifiedEnclave e = verify("tdx-v4-phala-dcapqvl-2025-06", "quote.bin",
        "2025-07-19T10:00:34Z");

    assertThat(e.tcb().orElseThrow().status()).isEqualTo(TcbStatus.UP_TO_DATE);
    assertThat(e.tcb().orElseThrow().advisoryIds()).isEmpty();
  }

  @Test
  void trusteeQ4_withGoTdxGuestCollateral_isUpToDate() throws Exception {
    VerifiedEnclave e = verify("tdx-v4-trustee-q4-gotdxguest-collateral-2023-06", "quote.dat",
        "2023-07-01T00:00:00Z");

    assertThat(e.tcb().orElseThrow().status()).isEqualTo(TcbStatus.UP_TO_DATE);
  }

  @Test
  void goTdxGuestV5_reportsTheTdReport15Fields() throws Exception {
    VerifiedEnclave e = verify("tdx-v5-gotdxguest-sample-2026-02", "quote.dat",
        "2026-02-20T00:00:00Z");

    assertThat(e.format()).isEqualTo("tdx-dcap-v5");
    assertThat(e.tcb().orElseThrow().status()).isEqualTo(TcbStatus.UP_TO_DATE);
    assertThat(e.measurement().hex()).startsWith("7348651a34b2d2d3462822e3a750ec61");
    assertThat(e.reportData().hex()).startsWith("945eaacf5abc1f719d8666a942fda03d");
    assertThat(e.claims())
        .containsEntry(ClaimNames.TEE_TCB_SVN2, "0d010400000000000000000000000000")
        .containsEntry(ClaimNames.MRSERVICETD, "00".repeat(48))
        .containsEntry(ClaimNames.TEE_TCB_SVN, "0b010400000000000000000000000000");
  }

  @Test
  void goTdxGuestV5_afterTheGoTdxGuestTcbInfoExpires_usesPhalasStill() throws Exception {
    VerifiedEnclave e = verify("tdx-v5-gotdxguest-sample-2026-02", "quote.dat",
        "2026-03-10T00:00:00Z");

    assertThat(e.tcb().orElseThrow().status()).isEqualTo(TcbStatus.UP_TO_DATE);
  }

  @Test
  void goTdxGuestV5_withOnlyItsOwnTcbInfo_isUpToDateInsideItsWindowAndExpiredAfter(
      @TempDir Path dir) throws Exception {
    String name = "tdx-v5-gotdxguest-sample-2026-02";
    Path source = Vectors.dir("tdx", name);
    Files.copy(source.resolve("tcb_info_gotdxguest.json"), dir.resolve("tcb.json"));
    // Phala's set without its TCB info: QE identity, CRLs and chains only
    String phala = Files.readString(source.resolve("collateral_phala_2026-02.json"));
    var top = new com.fasterxml.jackson.core.JsonFactory().createParser(phala);
    StringBuilder reduced = new StringBuilder("{");
    top.nextToken();
    while (top.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
      String key = top.currentName();
      top.nextToken();
      if (!key.startsWith("tcb_info") && top.currentToken().isScalarValue()) {
        reduced.append(reduced.length() > 1 ? "," : "").append('"').append(key).append("\":")
            .append(new com.fasterxml.jackson.core.io.JsonStringEncoder()
                .quoteAsString(top.getText()) instanceof char[] c ? "\"" + new String(c) + "\""
                : "");
      } else {
        top.skipChildren();
      }
    }
    Files.writeString(dir.resolve("rest.json"), reduced.append('}').toString());
    byte[] quote = Vectors.read("tdx", name, "quote.dat");

    VerifiedEnclave e = verifier.verify(quote, Vectors.at("2026-02-20T00:00:00Z", dir));

    assertThat(e.tcb().orElseThrow().status()).isEqualTo(TcbStatus.UP_TO_DATE);
    assertRefused(() -> verifier.verify(quote, Vectors.at("2026-03-05T00:00:00Z", dir)),
        Reason.EXPIRED, "TCB info (FMSPC 90c06f000000, file tcb.json) has expired: valid from 2026-02-01T14:49:26Z");
  }

  @Test
  void goTdxGuestV5_withoutCollateral_isMissingCollateral() {
    byte[] quote = Vectors.read("tdx", "tdx-v5-gotdxguest-sample-2026-02", "quote.dat");

    assertRefused(() -> verifier.verify(quote, Vectors.at("2026-02-03T01:00:00Z")),
        Reason.MISSING_COLLATERAL, "no TD_QE identity among the collateral;");
  }

  @Test
  void phalaV5_noTcbLevelMatches_isRefused() {
    assertRefused(() -> verify("tdx-v5-phala-dcapqvl-no-matching-tcb-level-2026-02",
        "quote.bin", "2026-03-01T00:00:00Z"), Reason.TCB_NOT_ACCEPTED,
        "TCB level not supported");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "tdx-v4-automata-00806f050000-2025-07, quote.bin",
      "tdx-v4-gotdxguest-cos113-gcp-2025-10, quote.dat",
      "tdx-v4-gotdxguest-spr-e4-2023-06, quote.dat",
      "tdx-v4-phala-dcapqvl-2025-06, quote.bin",
      "tdx-v4-trustee-q4-gotdxguest-collateral-2023-06, quote.dat",
      "tdx-v5-gotdxguest-sample-2026-02, quote.dat",
      "tdx-v5-phala-dcapqvl-no-matching-tcb-level-2026-02, quote.bin"
  })
  void today_failsAsExpired(String name, String file) {
    assertRefused(() -> verify(name, file, Vectors.TODAY.toString()), Reason.EXPIRED,
        "verification time 2026-12-03T00:00:00Z");
  }

  @Test
  void tdxQuote_isNotAnSgxQuote() {
    byte[] quote = Vectors.read("tdx", "tdx-v4-phala-dcapqvl-2025-06", "quote.bin");

    assertThat(new SgxDcapVerifier().recognizes(quote)).isFalse();
    assertRefused(() -> new SgxDcapVerifier().verify(quote, VerificationContext.now()),
        Reason.UNSUPPORTED_FORMAT, "is not SGX");
  }
}
