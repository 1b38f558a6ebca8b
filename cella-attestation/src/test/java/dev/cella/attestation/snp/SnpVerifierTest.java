package dev.cella.attestation.snp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.attestation.AttestationException;
import dev.cella.attestation.AttestationException.Reason;
import dev.cella.attestation.ClaimNames;
import dev.cella.attestation.VerificationContext;
import dev.cella.attestation.VerifiedEnclave;
import dev.cella.attestation.hardware.internal.TestPki;
import dev.cella.attestation.hardware.internal.TestPki.Issued;
import dev.cella.attestation.hardware.internal.Vectors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Turin layout, product and key checks on reports signed by a test VCEK under a test ARK. */
class SnpVerifierTest {
  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  private static final byte[] HW_ID = HexFormat.of().parseHex("1122334455667788");

  private final SnpVerifier verifier = new SnpVerifier();
  private final X509Certificate realArk = Vectors.certificates("snp", "roots", "ark_turin.pem")
      .get(0);
  private Issued ark;
  private KeyPair vcekKey;
  @TempDir Path dir;

  @BeforeEach
  void pki() throws Exception {
    // same name as the real ARK-Turin, another key
    X500Name arkName = X500Name.getInstance(realArk.getSubjectX500Principal().getEncoded());
    KeyPair arkKey = TestPki.ec("secp384r1");
    ark = new Issued(TestPki.build(arkName, arkKey.getPublic(), arkName, arkKey.getPrivate(),
        T0.minusSeconds(99999), T0.plus(Duration.ofDays(999)), true), arkKey.getPrivate());
    Issued ask = TestPki.issue(ark, "CN=SEV-Turin", "secp384r1", T0.minusSeconds(99999),
        T0.plus(Duration.ofDays(999)), true);
    vcekKey = TestPki.ec("secp384r1");
    X509Certificate vcek = vcek(ask, vcekKey, "Turin", HW_ID, 3, 1, 0, 20, 9);
    Files.write(dir.resolve("vcek.der"), vcek.getEncoded());
    Files.write(dir.resolve("ask.der"), ask.cert().getEncoded());
    Files.write(dir.resolve("ark.der"), ark.cert().getEncoded());
  }

  private static X509Certificate vcek(Issued ask, KeyPair key, String product, byte[] hwId,
      int fmc, int bl, int tee, int snp, int ucode) throws Exception {
    return TestSnpReport.vcek(ask, key, product, hwId, new int[] {bl, tee, snp, 0, 0, 0, 0, ucode,
        fmc}, T0);
  }

  private TestSnpReport turinReport() {
    TestSnpReport r = new TestSnpReport();
    r.reportedTcb = TestSnpReport.turinTcb(3, 1, 0, 20, 9);
    System.arraycopy(HW_ID, 0, r.chipId, 0, 8);
    r.reportData[0] = 0x42;
    return r;
  }

  private VerificationContext trustingTestArk() {
    return new VerificationContext(T0, List.of(ark.cert()), false, Optional.of(dir));
  }

  private static void assertRefused(ThrowingCallable call, Reason reason, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(AttestationException.class,
            e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageContaining(message);
  }

  @Test
  void turinReport_usesTheTurinTcbLayoutAndEightByteHwId() throws Exception {
    VerifiedEnclave e = verifier.verify(turinReport().sign(vcekKey.getPrivate()),
        trustingTestArk());

    assertThat(e.claims())
        .containsEntry(ClaimNames.SNP_PRODUCT, "Turin")
        .containsEntry(ClaimNames.SNP_TCB_FMC, "3")
        .containsEntry(ClaimNames.SNP_TCB_BOOTLOADER, "1")
        .containsEntry(ClaimNames.SNP_TCB_SNP, "20")
        .containsEntry(ClaimNames.SNP_TCB_MICROCODE, "9");
    assertThat(e.reportData().byteAt(0)).isEqualTo((byte) 0x42);
  }

  @Test
  void testArkWithTheRealName_isNotTrusted() {
    byte[] report = turinReport().sign(vcekKey.getPrivate());

    assertRefused(() -> verifier.verify(report, Vectors.at(T0, dir)), Reason.UNTRUSTED_ROOT,
        "a trusted root has this name but another key");
  }

  @Test
  void milanLayoutReadOfATurinTcb_matchesNoVcek() {
    TestSnpReport r = turinReport();
    r.reportedTcb = 1L | 20L << 48 | 9L << 56; // Milan layout: bl 1, snp 20, ucode 9, no FMC

    assertRefused(() -> verifier.verify(r.sign(vcekKey.getPrivate()), trustingTestArk()),
        Reason.TCB_NOT_ACCEPTED, "matches no VCEK");
  }

  @Test
  void cpuFamilyOfMilanWithATurinVcek_isRefused() {
    TestSnpReport r = turinReport();
    r.cpuidFamily = 0x19;

    assertRefused(() -> verifier.verify(r.sign(vcekKey.getPrivate()), trustingTestArk()),
        Reason.BROKEN_CHAIN, "CPUID family 0x19");
  }

  @Test
  void chipIdWithBytesAfterTheTurinHwId_matchesNoVcek() {
    TestSnpReport r = turinReport();
    r.chipId[8] = 1;

    assertRefused(() -> verifier.verify(r.sign(vcekKey.getPrivate()), trustingTestArk()),
        Reason.MISSING_COLLATERAL, "https://kdsintf.amd.com/vcek/v1/Turin/1122334455667788?"
            + "fmcSPL=3&blSPL=1&teeSPL=0&snpSPL=20&ucodeSPL=9");
  }

  @Test
  void signedByAnotherKey_isABadSignature() {
    byte[] report = turinReport().sign(TestPki.ec("secp384r1").getPrivate());

    assertRefused(() -> verifier.verify(report, trustingTestArk()), Reason.BAD_SIGNATURE,
        "bytes 0x000-0x29F");
  }

  @Test
  void noSigningKey_isUnsupported() {
    TestSnpReport r = turinReport();
    r.flags = 7 << 2;

    assertRefused(() -> verifier.verify(r.sign(vcekKey.getPrivate()), trustingTestArk()),
        Reason.UNSUPPORTED_FORMAT, "SIGNING_KEY 7");
  }

  @Test
  void nonZeroHighSignatureBytes_areMalformedAtTheirOffset() {
    byte[] report = turinReport().sign(vcekKey.getPrivate());
    report[0x2A0 + 60] = 1;

    assertRefused(() -> verifier.verify(report, trustingTestArk()), Reason.MALFORMED,
        "offset " + (0x2A0 + 60));
  }

  @Test
  void debugPolicyBit19_isDebug() throws Exception {
    TestSnpReport r = turinReport();
    r.policy = 0x30000 | 1L << 19;

    assertThat(verifier.verify(r.sign(vcekKey.getPrivate()), trustingTestArk()).debug())
        .isTrue();
  }

  @Test
  void unknownVersion_isMalformed() {
    TestSnpReport r = turinReport();
    r.version = 9;
    byte[] report = r.sign(vcekKey.getPrivate());

    assertThat(verifier.recognizes(report)).isFalse();
    assertRefused(() -> verifier.verify(report, trustingTestArk()), Reason.MALFORMED,
        "VERSION 9");
  }
}
