package dev.cella.attestation.cose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.Bytes;
import dev.cella.PlatformKind;
import dev.cella.SecurityLevel;
import dev.cella.attestation.AttestationException;
import dev.cella.attestation.AttestationException.Reason;
import dev.cella.attestation.Fixtures;
import dev.cella.attestation.VerificationContext;
import dev.cella.attestation.VerifiedEnclave;
import dev.cella.attestation.internal.PlatformCertificates;
import dev.cella.attestation.platform.SoftwarePlatform;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cryptographic verification of evidence issued by a real {@link SoftwarePlatform}. */
class CellaEvidenceVerifierTest {
  @TempDir static Path home;
  private static SoftwarePlatform process;
  private static SoftwarePlatform otherProcess;
  private static byte[] evidence;
  private static final CellaEvidenceVerifier VERIFIER = new CellaEvidenceVerifier();

  @BeforeAll
  static void issue() {
    process = SoftwarePlatform.open(PlatformKind.PROCESS, home.resolve("process"));
    otherProcess = SoftwarePlatform.open(PlatformKind.PROCESS, home.resolve("other"));
    evidence = process.issueEvidence(Fixtures.identity(PlatformKind.PROCESS), Fixtures.nonce(),
        Fixtures.reportData(), Fixtures.FACTS);
  }

  @AfterAll
  static void close() {
    process.close();
    otherProcess.close();
  }

  private static VerificationContext trusting(X509Certificate root, Instant at) {
    return new VerificationContext(at, List.of(root), false, Optional.empty());
  }

  private static VerificationContext trustingProcess() {
    return trusting(process.rootCertificate(), Instant.now());
  }

  private static AbstractThrowableAssert<?, ?> refused(
      byte[] bytes, VerificationContext context, Reason reason) {
    return assertThatThrownBy(() -> VERIFIER.verify(bytes, context))
        .isInstanceOfSatisfying(AttestationException.class,
            e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
  }

  @Test
  void goodEvidence_verifiesIntoEveryClaim() throws Exception {
    VerifiedEnclave enclave = VERIFIER.verify(evidence, trustingProcess());
    assertThat(enclave.format()).isEqualTo("cella-cose");
    assertThat(enclave.platform()).isEqualTo(PlatformKind.PROCESS);
    assertThat(enclave.securityLevel()).isEqualTo(SecurityLevel.PROCESS_ISOLATION);
    assertThat(enclave.measurement()).isEqualTo(Bytes.of(Fixtures.measurement("app").toByteArray()));
    assertThat(enclave.signer()).contains(Bytes.of(Fixtures.signer("acme").toByteArray()));
    assertThat(enclave.productId()).isEqualTo(42);
    assertThat(enclave.svn()).isEqualTo(7);
    assertThat(enclave.debug()).isFalse();
    assertThat(enclave.nonce()).contains(Bytes.of(Fixtures.nonce()));
    assertThat(enclave.reportData()).isEqualTo(Bytes.of(Fixtures.reportData()));
    assertThat(enclave.issuedAt().orElseThrow()).isBetween(
        Instant.now().minusSeconds(120), Instant.now().plusSeconds(1));
    assertThat(enclave.tcb()).isEmpty();
    assertThat(enclave.claims()).containsExactlyEntriesOf(new java.util.TreeMap<>(Fixtures.FACTS));
  }

  @Test
  void vmEvidence_carriesImageMeasurementClaim() throws Exception {
    try (SoftwarePlatform vm = SoftwarePlatform.open(PlatformKind.VM, home.resolve("vm"))) {
      Map<String, String> facts = new HashMap<>(Fixtures.FACTS);
      facts.put("image-measurement", "AB".repeat(48));
      byte[] vmEvidence = vm.issueEvidence(Fixtures.identity(PlatformKind.VM), new byte[0],
          new byte[0], facts);
      VerifiedEnclave enclave = VERIFIER.verify(vmEvidence, trusting(vm.rootCertificate(), Instant.now()));
      assertThat(enclave.securityLevel()).isEqualTo(SecurityLevel.VM_ISOLATION);
      assertThat(enclave.claims()).containsEntry("image-measurement", "ab".repeat(48));
      assertThat(enclave.nonce()).contains(Bytes.empty());
    }
  }

  @Test
  void vmEvidenceWithImageDigests_isV2_andVerifiesIntoEachDigest() throws Exception {
    try (SoftwarePlatform vm = SoftwarePlatform.open(PlatformKind.VM, home.resolve("vm2"))) {
      byte[] kernel = filled(1);
      byte[] initrd = filled(2);
      byte[] cmdline = filled(3);
      Map<String, String> facts = new HashMap<>(Fixtures.FACTS);
      facts.put("vm-kernel", Bytes.of(kernel).hex());
      facts.put("vm-initrd", Bytes.of(initrd).hex());
      facts.put("vm-cmdline", Bytes.of(cmdline).hex());
      String combined = Bytes.of(CellaEvidence.vmImageMeasurement(kernel, initrd, cmdline)).hex();
      facts.put("image-measurement", combined);
      byte[] vmEvidence = vm.issueEvidence(Fixtures.identity(PlatformKind.VM), new byte[0],
          new byte[0], facts);
      assertThat(new String(vmEvidence, java.nio.charset.StandardCharsets.ISO_8859_1))
          .contains(CellaEvidence.PROFILE_V2);
      VerifiedEnclave enclave =
          VERIFIER.verify(vmEvidence, trusting(vm.rootCertificate(), Instant.now()));
      assertThat(enclave.claims()).containsEntry("vm-kernel", Bytes.of(kernel).hex())
          .containsEntry("vm-initrd", Bytes.of(initrd).hex())
          .containsEntry("vm-cmdline", Bytes.of(cmdline).hex())
          .containsEntry("image-measurement", combined);
    }
  }

  @Test
  void vmImageDigests_whoseCombinationIsNotTheImageMeasurement_areRefusedAtIssue() {
    try (SoftwarePlatform vm = SoftwarePlatform.open(PlatformKind.VM, home.resolve("vm3"))) {
      Map<String, String> facts = new HashMap<>(Fixtures.FACTS);
      facts.put("vm-kernel", Bytes.of(filled(1)).hex());
      facts.put("vm-initrd", Bytes.of(filled(2)).hex());
      facts.put("vm-cmdline", Bytes.of(filled(3)).hex());
      facts.put("image-measurement", "AB".repeat(48));
      assertThatThrownBy(() -> vm.issueEvidence(Fixtures.identity(PlatformKind.VM), new byte[0],
          new byte[0], facts)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("combination");
      facts.remove("vm-cmdline");
      assertThatThrownBy(() -> vm.issueEvidence(Fixtures.identity(PlatformKind.VM), new byte[0],
          new byte[0], facts)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("go together");
    }
  }

  @Test
  void vmImageDigests_onTheProcessPlatform_areRefusedAtIssue() {
    Map<String, String> facts = new HashMap<>(Fixtures.FACTS);
    facts.put("vm-kernel", Bytes.of(filled(1)).hex());
    facts.put("vm-initrd", Bytes.of(filled(2)).hex());
    facts.put("vm-cmdline", Bytes.of(filled(3)).hex());
    assertThatThrownBy(() -> process.issueEvidence(Fixtures.identity(PlatformKind.PROCESS),
        new byte[0], new byte[0], facts)).isInstanceOf(IllegalArgumentException.class);
  }

  private static byte[] filled(int value) {
    byte[] b = new byte[48];
    Arrays.fill(b, (byte) value);
    return b;
  }

  @Test
  void recognizes_ownEvidence_butNotOtherCoseOrShortInput() {
    assertThat(VERIFIER.recognizes(evidence)).isTrue();
    assertThat(VERIFIER.recognizes(new byte[0])).isFalse();
    assertThat(VERIFIER.recognizes(Arrays.copyOf(evidence, 8))).isFalse();
    // An untagged COSE_Sign1 whose protected header is {1: -35} only, as Nitro's documents are.
    assertThat(VERIFIER.recognizes(new byte[] {(byte) 0x84, 0x44, (byte) 0xA1, 0x01, 0x38, 0x22,
        (byte) 0xA0, 0x40, 0x40})).isFalse();
    assertThat(VERIFIER.recognizes(new byte[] {(byte) 0xD2, (byte) 0x84, 0x44, (byte) 0xA1, 0x01,
        0x38, 0x22, (byte) 0xA0, 0x40, 0x40})).isFalse();
  }

  @Test
  void signatureByteFlipped_isBadSignature() {
    byte[] tampered = evidence.clone();
    tampered[tampered.length - 10] ^= 0x01;
    refused(tampered, trustingProcess(), Reason.BAD_SIGNATURE)
        .hasMessageContaining("COSE_Sign1 signature does not verify");
  }

  @Test
  void payloadByteFlipped_isBadSignature() {
    byte[] tampered = evidence.clone();
    int at = indexOf(tampered, Fixtures.measurement("app").toByteArray());
    tampered[at + 5] ^= 0x01;
    refused(tampered, trustingProcess(), Reason.BAD_SIGNATURE);
  }

  @Test
  void singleBitFlips_areAllRefused() throws Exception {
    // Every byte outside the certificates, and every 8th inside them (bounded run time).
    int leafAt = indexOf(evidence, process.certificateChain().get(0).getEncoded());
    int rootAt = indexOf(evidence, process.rootCertificate().getEncoded());
    int certificatesEnd = rootAt + process.rootCertificate().getEncoded().length;
    for (int i = 0; i < evidence.length; i++) {
      if (i >= leafAt && i < certificatesEnd && i % 8 != 0) {
        continue;
      }
      byte[] tampered = evidence.clone();
      tampered[i] ^= 0x01;
      int offset = i;
      assertThatThrownBy(() -> VERIFIER.verify(tampered, trustingProcess()))
          .as("bit flip at offset %d", offset)
          .isInstanceOf(AttestationException.class);
    }
  }

  @Test
  void untrustedRoot_isRefusedNamingRootSubjectAndFingerprint() {
    refused(evidence, trusting(otherProcess.rootCertificate(), Instant.now()), Reason.UNTRUSTED_ROOT)
        .hasMessageContaining("CN=Cella process platform root,O=Cella")
        .hasMessageContaining(PlatformCertificates.sha256Fingerprint(process.rootCertificate()));
  }

  @Test
  void noRootsAtAll_isUntrustedRoot() {
    refused(evidence, VerificationContext.now(), Reason.UNTRUSTED_ROOT)
        .hasMessageContaining("software platforms have no default roots");
  }

  @Test
  void issuedAtBeyondAllowedSkew_isNotYetValid() throws Exception {
    Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10));
    try (SoftwarePlatform fast = SoftwarePlatform.open(PlatformKind.PROCESS, home.resolve("process"), ahead)) {
      byte[] future = fast.issueEvidence(Fixtures.identity(PlatformKind.PROCESS), new byte[0],
          new byte[0], Fixtures.FACTS);
      refused(future, trustingProcess(), Reason.NOT_YET_VALID)
          .hasMessageContaining("more than PT5M after the verification time");
      // The same evidence, judged 6 minutes later, is within the skew.
      assertThat(VERIFIER.verify(future, trusting(process.rootCertificate(),
          Instant.now().plus(Duration.ofMinutes(6)))).platform()).isEqualTo(PlatformKind.PROCESS);
    }
  }

  @Test
  void issuedAtWithinAllowedSkew_verifies() throws Exception {
    Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(4));
    try (SoftwarePlatform fast = SoftwarePlatform.open(PlatformKind.PROCESS, home.resolve("process"), ahead)) {
      byte[] soon = fast.issueEvidence(Fixtures.identity(PlatformKind.PROCESS), new byte[0],
          new byte[0], Fixtures.FACTS);
      assertThat(VERIFIER.verify(soon, trustingProcess()).issuedAt()).isPresent();
    }
  }

  @Test
  void expiredLeafCertificate_isExpired() {
    Instant afterLeaf = process.certificateChain().get(0).getNotAfter().toInstant().plusSeconds(1);
    refused(evidence, trusting(process.rootCertificate(), afterLeaf), Reason.EXPIRED)
        .hasMessageContaining("leaf certificate").hasMessageContaining("expired at");
  }

  @Test
  void verificationBeforeLeafValidity_isExpired() {
    Instant beforeLeaf = process.certificateChain().get(0).getNotBefore().toInstant().minusSeconds(1);
    refused(evidence, trusting(process.rootCertificate(), beforeLeaf), Reason.EXPIRED)
        .hasMessageContaining("is not valid before");
  }

  @Test
  void truncatedAtEveryLength_isMalformed() {
    for (int length = 0; length < evidence.length; length++) {
      byte[] prefix = Arrays.copyOf(evidence, length);
      int at = length;
      assertThatThrownBy(() -> VERIFIER.verify(prefix, trustingProcess()))
          .as("prefix of %d bytes", at)
          .isInstanceOfSatisfying(AttestationException.class,
              e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(Reason.MALFORMED));
    }
  }

  @Test
  void trailingBytes_isMalformed() {
    byte[] longer = Arrays.copyOf(evidence, evidence.length + 1);
    refused(longer, trustingProcess(), Reason.MALFORMED)
        .hasMessageContaining("1 trailing byte(s)").hasMessageContaining("at offset " + evidence.length);
  }

  @Test
  void negativeSkew_isRefused() {
    assertThatThrownBy(() -> new CellaEvidenceVerifier(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    throw new AssertionError("not found");
  }
}
