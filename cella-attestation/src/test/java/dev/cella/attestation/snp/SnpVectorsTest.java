package dev.cella.attestation.snp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.PlatformKind;
import dev.cella.attestation.AttestationException;
import dev.cella.attestation.AttestationException.Reason;
import dev.cella.attestation.ClaimNames;
import dev.cella.attestation.VerificationContext;
import dev.cella.attestation.VerifiedEnclave;
import dev.cella.attestation.hardware.internal.ChainBuilder;
import dev.cella.attestation.hardware.internal.Vectors;
import dev.cella.attestation.snp.internal.AmdKeyCertificate;
import dev.cella.attestation.snp.internal.AmdRoots;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every SEV-SNP case of the shared vectors, at its sidecar's time and today. */
class SnpVectorsTest {
  private final SnpVerifier verifier = new SnpVerifier();

  private VerifiedEnclave verify(String name, String at) throws AttestationException {
    byte[] report = Vectors.read("snp", name, "report.bin");
    assertThat(verifier.recognizes(report)).isTrue();
    return verifier.verify(report, Vectors.at(at, Vectors.dir("snp", name)));
  }

  private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call,
      Reason reason, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(AttestationException.class,
            e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageContaining(message);
  }

  @Test
  void goSevGuestMilan_atSourceTime_verifiesWithItsClaims() throws Exception {
    VerifiedEnclave e = verify("snp-v2-gosevguest-milan-vcek", "2022-09-24T01:00:00Z");

    assertThat(e.platform()).isEqualTo(PlatformKind.SNP);
    assertThat(e.format()).isEqualTo("sev-snp-v2");
    assertThat(e.measurement().hex()).isEqualTo("b07af9620f3b839b47996422ddec6058338951d984e312"
        + "115131ea82705eaf5b6bdf8a9ece31a5a608eb0cf2e4872b01");
    assertThat(e.reportData().hex()).isEqualTo("0102030405" + "00".repeat(59));
    assertThat(e.debug()).as("policy 0xb0000 has the debug bit 19").isTrue();
    assertThat(e.svn()).isZero();
    assertThat(e.claims())
        .containsEntry(ClaimNames.GUEST_POLICY, Long.toString(0xb0000))
        .containsEntry(ClaimNames.SNP_SIGNING_KEY, "vcek")
        .containsEntry(ClaimNames.SNP_PRODUCT, "Milan-B0")
        .containsEntry(ClaimNames.REPORTED_TCB, "0200000000000544")
        .containsEntry(ClaimNames.SNP_TCB_BOOTLOADER, "2")
        .containsEntry(ClaimNames.SNP_TCB_TEE, "0")
        .containsEntry(ClaimNames.SNP_TCB_SNP, "5")
        .containsEntry(ClaimNames.SNP_TCB_MICROCODE, "68")
        .containsEntry(ClaimNames.VMPL, "0")
        .containsEntry(ClaimNames.CHIP_ID, "3ac3fe21e13fb0990eb28a802e3fb6a29483a6b0753590c951bd"
            + "d3b8e53786184ca39e359669a2b76a1936776b564ea464cdce40c05f63c9b610c5068b006b5d")
        .doesNotContainKey(ClaimNames.SNP_TCB_FMC);
  }

  @Test
  void goSevGuestMilan_today_stillVerifiesWhileTheVcekIsValid() throws Exception {
    assertThat(verify("snp-v2-gosevguest-milan-vcek", Vectors.TODAY.toString()).debug()).isTrue();
  }

  @Test
  void goSevGuestMilan_afterTheVcekExpires_failsAsExpired() {
    assertRefused(() -> verify("snp-v2-gosevguest-milan-vcek", "2029-09-25T00:00:00Z"),
        Reason.EXPIRED, "VCEK certificate 'CN=SEV-VCEK");
  }

  @Test
  void trusteeMilan_verifiesAndIgnoresTheInvalidVcekVariantsBesideIt() throws Exception {
    VerifiedEnclave e = verify("snp-v2-trustee-milan-vcek", "2024-01-01T00:00:00Z");

    assertThat(e.debug()).as("policy 0x3001f").isFalse();
    assertThat(e.svn()).isEqualTo(4);
    assertThat(e.reportData().hex()).startsWith("ec6c52d7533cc2c4f45be7849cf112ab");
    assertThat(e.claims())
        .containsEntry(ClaimNames.FAMILY_ID, "01" + "00".repeat(15))
        .containsEntry(ClaimNames.IMAGE_ID, "02" + "00".repeat(15))
        .containsEntry(ClaimNames.ID_KEY_DIGEST, "0356215882a825279a85b300b0b742931d113bf7e32dde"
            + "2e50ffde7ec743ca491ecdd7f336dc28a6e0b2bb57af7a44a3")
        .containsEntry(ClaimNames.SNP_TCB_MICROCODE, "115");
    assertThat(verify("snp-v2-trustee-milan-vcek", Vectors.TODAY.toString())).isEqualTo(e);
  }

  @Test
  void trusteeMilan_byte42Flipped_isABadSignature() throws Exception {
    byte[] report = Vectors.read("snp", "snp-v2-trustee-milan-vcek", "report.bin");
    report[42] += 1;

    assertRefused(() -> verifier.verify(report, Vectors.at("2024-01-01T00:00:00Z",
        Vectors.dir("snp", "snp-v2-trustee-milan-vcek"))), Reason.BAD_SIGNATURE,
        "does not verify under the VCEK");
  }

  @Test
  void trusteeMilan_reportedTcbByteFlipped_matchesNoVcek() throws Exception {
    byte[] report = Vectors.read("snp", "snp-v2-trustee-milan-vcek", "report.bin");
    report[0x180] += 1;

    assertRefused(() -> verifier.verify(report, Vectors.at("2024-01-01T00:00:00Z",
        Vectors.dir("snp", "snp-v2-trustee-milan-vcek"))), Reason.TCB_NOT_ACCEPTED,
        "REPORTED_TCB (boot loader 4, TEE 0, SNP 8, microcode 115) matches no VCEK");
  }

  @Test
  void trusteeInvalidVcekVariants_parseButNeitherChainsNorSign(@TempDir Path dir)
      throws Exception {
    String name = "snp-v2-trustee-milan-vcek";
    for (String variant : List.of("vcek-invalid-legacy.der", "vcek-invalid-new.der")) {
      X509Certificate cert = Vectors.certificates("snp", name, variant).get(0);
      AmdKeyCertificate key = AmdKeyCertificate.of(cert).orElseThrow();
      assertThat(key.hwIdHex()).as(variant).endsWith("3c3d3e3f").hasSize(128);
      assertThat(key.productName()).isEqualTo("Milan-B0");

      assertRefused(() -> ChainBuilder.build(cert, "VCEK", AmdRoots.INTERMEDIATES,
          AmdRoots.ROOTS, Instant.parse("2024-01-01T00:00:00Z")), Reason.BAD_SIGNATURE,
          "does not verify under any of the 1 certificate(s) named 'CN=SEV-Milan");
      Files.copy(Vectors.dir("snp", name).resolve(variant), dir.resolve(variant),
          StandardCopyOption.REPLACE_EXISTING);
    }
    byte[] report = Vectors.read("snp", name, "report.bin");

    assertRefused(() -> verifier.verify(report, Vectors.at("2024-01-01T00:00:00Z", dir)),
        Reason.MISSING_COLLATERAL, "no VCEK for CHIP_ID c38427a30d4c7af9");
  }

  @Test
  void dstackMilanV3_verifiesWithHostDataAndAsciiReportData() throws Exception {
    VerifiedEnclave e = verify("snp-v3-dstack-milan-scale-framed", "2026-06-17T02:00:00Z");

    assertThat(e.format()).isEqualTo("sev-snp-v3");
    assertThat(new String(e.reportData().toByteArray(), 0, 24, "US-ASCII"))
        .isEqualTo("attest-test-fixture-2026");
    assertThat(e.claims())
        .containsEntry(ClaimNames.HOST_DATA,
            "783f0057820acb99249af56cc3b07b4e8d80f65183167cba9cf437bb680f742f")
        .containsEntry(ClaimNames.SNP_TCB_SNP, "23");
    assertThat(e.measurement().hex()).startsWith("7f51e17f72a04d5422cb2c00998166536019a217");
    assertThat(e.debug()).isFalse();
  }

  @Test
  void dstackScaleFramedFile_isNotAReport() {
    byte[] framed = Vectors.read("snp", "snp-v3-dstack-milan-scale-framed",
        "attestation.scale.bin");

    assertThat(verifier.recognizes(framed)).isFalse();
    assertRefused(() -> verifier.verify(framed, VerificationContext.now()), Reason.MALFORMED,
        "a report is 1184 bytes");
  }

  @Test
  void dstackMilanV3_withoutCollateral_namesTheKdsUrl() {
    byte[] report = Vectors.read("snp", "snp-v3-dstack-milan-scale-framed", "report.bin");

    assertRefused(() -> verifier.verify(report, Vectors.at("2026-06-17T02:00:00Z")),
        Reason.MISSING_COLLATERAL, "https://kdsintf.amd.com/vcek/v1/{Milan,Genoa}/38d17458");
  }

  @Test
  void awsVlek_insideItsYear_verifies() throws Exception {
    VerifiedEnclave e = verify("snp-v3-trustee-milan-vlek-aws", "2025-06-01T00:00:00Z");

    assertThat(e.claims())
        .containsEntry(ClaimNames.SNP_SIGNING_KEY, "vlek")
        .containsEntry(ClaimNames.VMPL, "1")
        .containsEntry(ClaimNames.SNP_PRODUCT, "Milan")
        .containsEntry(ClaimNames.CHIP_ID, "00".repeat(64));
    assertThat(e.reportData().hex()).startsWith("819770b7e6ea6df8dd8fd4dd146b073c");
  }

  @Test
  void awsVlek_today_failsAsExpired() {
    assertRefused(() -> verify("snp-v3-trustee-milan-vlek-aws", Vectors.TODAY.toString()),
        Reason.EXPIRED, "VLEK certificate 'CN=SEV-VLEK");
  }

  @Test
  void turinVcek_chainsToArkTurinWithItsEightByteHwId() throws Exception {
    String name = "snp-turin-vcek-chain-only-virtee";
    X509Certificate vcek = Vectors.certificates("snp", name, "vcek_turin.der").get(0);
    AmdKeyCertificate key = AmdKeyCertificate.of(vcek).orElseThrow();

    assertThat(key.isTurin()).isTrue();
    assertThat(key.structVersion()).isEqualTo(1);
    assertThat(key.hwIdHex()).isEqualTo("1e550a8ee5cf9f4d");
    assertThat(key.tcb().fmc()).isZero();
    assertThat(key.tcb().microcode()).isEqualTo(9);
    List<X509Certificate> path = ChainBuilder.build(vcek, "VCEK",
        Vectors.certificates("snp", name, "cert_chain_turin.pem"), AmdRoots.ROOTS,
        Instant.parse("2025-01-01T00:00:00Z"));
    assertThat(path).extracting(c -> c.getSubjectX500Principal().getName().split(",")[0])
        .containsExactly("CN=SEV-VCEK", "CN=SEV-Turin", "CN=ARK-Turin");
  }

  @Test
  void milanReport_withOnlyTheTurinRootTrusted_isUntrusted() {
    X509Certificate turin = Vectors.certificates("snp", "roots", "ark_turin.pem").get(0);
    byte[] report = Vectors.read("snp", "snp-v2-gosevguest-milan-vcek", "report.bin");

    assertRefused(() -> verifier.verify(report, Vectors.onlyRoots("2023-01-01T00:00:00Z",
        Optional.of(Vectors.dir("snp", "snp-v2-gosevguest-milan-vcek")), turin)),
        Reason.UNTRUSTED_ROOT, "ARK-Milan");
  }
}
