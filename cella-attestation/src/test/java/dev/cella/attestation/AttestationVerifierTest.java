package dev.cella.attestation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.Bytes;
import dev.cella.PlatformKind;
import dev.cella.SecurityLevel;
import dev.cella.attestation.AttestationException.Reason;
import dev.cella.attestation.platform.SoftwarePlatform;
import dev.cella.attestation.platform.internal.Pem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The entry point end to end: format detection, verification, then every policy rule. */
class AttestationVerifierTest {
  @TempDir static Path home;
  private static SoftwarePlatform process;
  private static SoftwarePlatform otherProcess;
  private static SoftwarePlatform sim;
  private static Path processRootFile;
  private static Path otherRootFile;
  private static Path simRootFile;
  private static byte[] evidence;
  private static final AttestationVerifier VERIFIER = AttestationVerifier.create();
  private static final String MEASUREMENT = Fixtures.measurement("app").hex();
  private static final String SIGNER = Fixtures.signer("acme").hex();

  @BeforeAll
  static void platforms() throws Exception {
    process = SoftwarePlatform.open(PlatformKind.PROCESS, home.resolve("process"));
    otherProcess = SoftwarePlatform.open(PlatformKind.PROCESS, home.resolve("other"));
    sim = SoftwarePlatform.open(PlatformKind.SIM, home.resolve("sim"));
    processRootFile = Files.write(home.resolve("process-root.pem"), Pem.certificate(process.rootCertificate()));
    otherRootFile = Files.write(home.resolve("other-root.pem"), Pem.certificate(otherProcess.rootCertificate()));
    simRootFile = Files.write(home.resolve("sim-root.pem"), Pem.certificate(sim.rootCertificate()));
    evidence = issue(process, Fixtures.identity(PlatformKind.PROCESS));
  }

  @AfterAll
  static void close() {
    process.close();
    otherProcess.close();
    sim.close();
  }

  private static byte[] issue(SoftwarePlatform platform, dev.cella.EnclaveIdentity identity) {
    return platform.issueEvidence(identity, Fixtures.nonce(), Fixtures.reportData(), Fixtures.FACTS);
  }

  private static AttestationPolicy policy(String text) {
    return AttestationPolicy.parse(text);
  }

  private static String trustingProcess(String rest) {
    return rest + " root=" + processRootFile;
  }

  private static AbstractThrowableAssert<?, ?> refused(byte[] bytes, String policy, Reason reason) {
    return refused(VERIFIER, bytes, policy(policy), reason);
  }

  private static AbstractThrowableAssert<?, ?> refused(
      AttestationVerifier verifier, byte[] bytes, AttestationPolicy policy, Reason reason) {
    return assertThatThrownBy(() -> verifier.verify(bytes, policy))
        .isInstanceOfSatisfying(AttestationException.class,
            e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
  }

  @Test
  void serviceLoader_findsCellaCose() {
    assertThat(VERIFIER.formats()).contains("cella-cose");
  }

  @Test
  void goodEvidence_withPolicyPinnedToMeasurement_verifies() throws Exception {
    VerifiedEnclave enclave = VERIFIER.verify(evidence, policy(trustingProcess("measurement=" + MEASUREMENT)));
    assertThat(enclave.platform()).isEqualTo(PlatformKind.PROCESS);
    assertThat(enclave.securityLevel()).isEqualTo(SecurityLevel.PROCESS_ISOLATION);
    assertThat(enclave.measurement().hex()).isEqualTo(MEASUREMENT);
  }

  @Test
  void goodEvidence_withEveryBindingAndIdentityRule_verifies() throws Exception {
    VerifiedEnclave enclave = VERIFIER.verify(evidence, policy(trustingProcess(
        "measurement=" + MEASUREMENT + " signer=" + SIGNER + " product=42 min-svn=7 nonce="
            + hex(Fixtures.nonce()) + " report-data=" + hex(Fixtures.reportData())
            + " platform=process jdk-version=25.0.1+8-LTS")));
    assertThat(enclave.svn()).isEqualTo(7);
  }

  @Test
  void wrongNonce_isBindingMismatch() {
    refused(evidence, trustingProcess("measurement=" + MEASUREMENT + " nonce=" + hex(Fixtures.bytes(32, 9))),
        Reason.BINDING_MISMATCH)
        .hasMessageContaining("nonce " + hex(Fixtures.nonce()))
        .hasMessageContaining("expected " + hex(Fixtures.bytes(32, 9)));
  }

  @Test
  void nonceOfOtherLength_isBindingMismatch() {
    refused(evidence, trustingProcess("measurement=" + MEASUREMENT + " nonce="
        + hex(Arrays.copyOf(Fixtures.nonce(), 31))), Reason.BINDING_MISMATCH);
  }

  @Test
  void wrongReportData_isBindingMismatch() {
    refused(evidence, trustingProcess("measurement=" + MEASUREMENT + " report-data=" + hex(Fixtures.bytes(64, 9))),
        Reason.BINDING_MISMATCH).hasMessageContaining("report data");
  }

  @Test
  void wrongMeasurement_isPolicyViolation() {
    String other = Fixtures.measurement("other").hex();
    refused(evidence, trustingProcess("measurement=" + other), Reason.POLICY_VIOLATION)
        .hasMessageContaining("measurement " + MEASUREMENT + " is not the expected " + other);
  }

  @Test
  void wrongSigner_isPolicyViolation() {
    String other = Fixtures.signer("mallory").hex();
    refused(evidence, trustingProcess("signer=" + other + " product=42"), Reason.POLICY_VIOLATION)
        .hasMessageContaining("signer " + SIGNER + " is not the expected " + other);
  }

  @Test
  void signerAndProduct_verify_butOtherProductIsPolicyViolation() throws Exception {
    assertThat(VERIFIER.verify(evidence, policy(trustingProcess("signer=" + SIGNER + " product=42"))))
        .isNotNull();
    refused(evidence, trustingProcess("signer=" + SIGNER + " product=43"), Reason.POLICY_VIOLATION)
        .hasMessageContaining("product id 42 is not the expected 43");
  }

  @Test
  void svnBelowMinimum_isPolicyViolation() {
    refused(evidence, trustingProcess("signer=" + SIGNER + " product=42 min-svn=8"), Reason.POLICY_VIOLATION)
        .hasMessageContaining("SVN 7 is below the minimum 8");
  }

  @Test
  void debugEnclave_isRefusedByDefault_andAcceptedWithDebugAllow() throws Exception {
    byte[] debug = issue(process, Fixtures.identity(PlatformKind.PROCESS, 7, true));
    refused(debug, trustingProcess("measurement=" + MEASUREMENT), Reason.POLICY_VIOLATION)
        .hasMessageContaining("debug");
    assertThat(VERIFIER.verify(debug, policy(trustingProcess("measurement=" + MEASUREMENT + " debug=allow")))
        .debug()).isTrue();
  }

  @Test
  void rootOfAnotherPlatformDirectory_isUntrustedRoot() {
    refused(evidence, "measurement=" + MEASUREMENT + " root=" + otherRootFile, Reason.UNTRUSTED_ROOT)
        .hasMessageContaining("CN=Cella process platform root,O=Cella")
        .hasMessageContaining(dev.cella.attestation.internal.PlatformCertificates
            .sha256Fingerprint(process.rootCertificate()));
  }

  @Test
  void policyWithoutRoots_refusesSoftwareEvidenceAsUntrustedRoot() {
    refused(evidence, "measurement=" + MEASUREMENT, Reason.UNTRUSTED_ROOT);
  }

  @Test
  void simEvidence_withoutInsecureOptIn_isPolicyViolation() {
    byte[] simEvidence = issue(sim, Fixtures.identity(PlatformKind.SIM));
    refused(simEvidence, "measurement=" + MEASUREMENT + " root=" + simRootFile, Reason.POLICY_VIOLATION)
        .hasMessageContaining("insecure=accept-simulated");
  }

  @Test
  void simEvidence_withInsecureOptInAndItsRoot_verifies() throws Exception {
    byte[] simEvidence = issue(sim, Fixtures.identity(PlatformKind.SIM));
    VerifiedEnclave enclave = VERIFIER.verify(simEvidence,
        policy("measurement=" + MEASUREMENT + " root=" + simRootFile + " insecure=accept-simulated"));
    assertThat(enclave.platform()).isEqualTo(PlatformKind.SIM);
    assertThat(enclave.securityLevel()).isEqualTo(SecurityLevel.NONE);
  }

  @Test
  void simEvidence_withInsecureOptInButNoSimRoot_isUntrustedRoot() {
    byte[] simEvidence = issue(sim, Fixtures.identity(PlatformKind.SIM));
    refused(simEvidence, trustingProcess("measurement=" + MEASUREMENT + " insecure=accept-simulated"),
        Reason.UNTRUSTED_ROOT).hasMessageContaining("CN=Cella sim platform root");
  }

  @Test
  void platformOutsideTheNamedSet_isPolicyViolation() {
    refused(evidence, trustingProcess("measurement=" + MEASUREMENT + " platform=vm,sgx"), Reason.POLICY_VIOLATION)
        .hasMessageContaining("platform process is not accepted (accepted: vm,sgx)");
  }

  @Test
  void claimRequirement_otherValueOrMissingClaim_isPolicyViolation() {
    refused(evidence, trustingProcess("measurement=" + MEASUREMENT + " backend-version=9.9"), Reason.POLICY_VIOLATION)
        .hasMessageContaining("claim backend-version is 0.1.0-SNAPSHOT, not the expected 9.9");
    refused(evidence, trustingProcess("measurement=" + MEASUREMENT + " mrtd=00"), Reason.POLICY_VIOLATION)
        .hasMessageContaining("no such claim");
  }

  @Test
  void hexClaimRequirement_comparesBytesIgnoringCase() throws Exception {
    try (SoftwarePlatform vm = SoftwarePlatform.open(PlatformKind.VM, home.resolve("vm"))) {
      Path vmRoot = Files.write(home.resolve("vm-root.pem"), Pem.certificate(vm.rootCertificate()));
      Map<String, String> facts = new HashMap<>(Fixtures.FACTS);
      facts.put("image-measurement", "ab".repeat(48));
      byte[] vmEvidence = vm.issueEvidence(Fixtures.identity(PlatformKind.VM), new byte[0], new byte[0], facts);
      assertThat(VERIFIER.verify(vmEvidence, policy("measurement=" + MEASUREMENT + " root=" + vmRoot
          + " image-measurement=" + "AB".repeat(48))).platform()).isEqualTo(PlatformKind.VM);
      refused(vmEvidence, "measurement=" + MEASUREMENT + " root=" + vmRoot + " image-measurement="
          + "ab".repeat(47) + "ac", Reason.POLICY_VIOLATION);
    }
  }

  @Test
  void vmKernelPolicy_acceptsTheBootedKernel_andRefusesAnother() throws Exception {
    try (SoftwarePlatform vm = SoftwarePlatform.open(PlatformKind.VM, home.resolve("vm-image"))) {
      Path vmRoot = Files.write(home.resolve("vm-image-root.pem"),
          Pem.certificate(vm.rootCertificate()));
      byte[] kernel = new byte[48];
      kernel[0] = 1;
      byte[] initrd = new byte[48];
      byte[] cmdline = new byte[48];
      Map<String, String> facts = new HashMap<>(Fixtures.FACTS);
      facts.put("vm-kernel", dev.cella.Bytes.of(kernel).hex());
      facts.put("vm-initrd", dev.cella.Bytes.of(initrd).hex());
      facts.put("vm-cmdline", dev.cella.Bytes.of(cmdline).hex());
      facts.put("image-measurement", dev.cella.Bytes.of(
          dev.cella.attestation.cose.CellaEvidence.vmImageMeasurement(kernel, initrd, cmdline)).hex());
      byte[] vmEvidence = vm.issueEvidence(Fixtures.identity(PlatformKind.VM), new byte[0],
          new byte[0], facts);
      String base = "measurement=" + MEASUREMENT + " root=" + vmRoot;
      assertThat(VERIFIER.verify(vmEvidence, policy(base + " vm-kernel=01" + "00".repeat(47)
          + " vm-cmdline=" + "00".repeat(48))).claims()).containsKey("vm-initrd");
      refused(vmEvidence, base + " vm-kernel=" + "00".repeat(48), Reason.POLICY_VIOLATION)
          .hasMessageContaining("vm-kernel");
    }
  }

  @Test
  void verificationTimeAfterLeafExpiry_isExpired() {
    Instant late = process.certificateChain().get(0).getNotAfter().toInstant().plusSeconds(60);
    assertThatThrownBy(() -> VERIFIER.verify(evidence, policy(trustingProcess("measurement=" + MEASUREMENT)),
            AttestationVerifier.Options.at(late)))
        .isInstanceOfSatisfying(AttestationException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.EXPIRED));
  }

  @Test
  void unrecognizedBytes_areUnsupportedFormat() {
    refused("hello".getBytes(StandardCharsets.US_ASCII), trustingProcess("measurement=" + MEASUREMENT),
        Reason.UNSUPPORTED_FORMAT).hasMessageContaining("cella-cose");
  }

  @Test
  void truncatedEvidence_atEveryLength_isRefusedAsMalformedOrUnsupported() {
    AttestationPolicy policy = policy(trustingProcess("measurement=" + MEASUREMENT));
    for (int length = 0; length < evidence.length; length++) {
      byte[] prefix = Arrays.copyOf(evidence, length);
      int at = length;
      assertThatThrownBy(() -> VERIFIER.verify(prefix, policy))
          .as("prefix of %d bytes", at)
          .isInstanceOfSatisfying(AttestationException.class, e -> assertThat(e.reason())
              .isEqualTo(at < 11 ? Reason.UNSUPPORTED_FORMAT : Reason.MALFORMED));
    }
  }

  @Test
  void evidenceRecognizedByTwoVerifiers_isRefusedAsAmbiguous() {
    AttestationVerifier greedy = AttestationVerifier.create(List.of(
        new dev.cella.attestation.cose.CellaEvidenceVerifier(), new FakeHardware(Optional.empty(), true)));
    refused(greedy, evidence, policy(trustingProcess("measurement=" + MEASUREMENT)), Reason.UNSUPPORTED_FORMAT)
        .hasMessageContaining("ambiguous");
  }

  @Test
  void hardwareTcbOutsideAcceptedStatuses_isTcbNotAccepted_andAcceptedWhenListed() throws Exception {
    AttestationVerifier hw = AttestationVerifier.create(List.of(new FakeHardware(
        Optional.of(new TcbAppraisal(TcbStatus.SW_HARDENING_NEEDED, List.of("INTEL-SA-00615"))), false)));
    byte[] quote = FakeHardware.EVIDENCE;
    refused(hw, quote, policy("measurement=" + MEASUREMENT), Reason.TCB_NOT_ACCEPTED)
        .hasMessageContaining("SWHardeningNeeded").hasMessageContaining("INTEL-SA-00615");
    assertThat(hw.verify(quote, policy("measurement=" + MEASUREMENT + " tcb=UpToDate,SWHardeningNeeded"))
        .platform()).isEqualTo(PlatformKind.SGX);
  }

  @Test
  void hardwareEvidenceWithoutTcbAppraisal_isTcbNotAccepted() {
    AttestationVerifier hw = AttestationVerifier.create(List.of(new FakeHardware(Optional.empty(), false)));
    refused(hw, FakeHardware.EVIDENCE, policy("measurement=" + MEASUREMENT), Reason.TCB_NOT_ACCEPTED)
        .hasMessageContaining("no TCB appraisal");
  }

  @Test
  void verifierThatThrowsUnchecked_isRefusedAsMalformed() {
    EvidenceVerifier broken = new FakeHardware(Optional.empty(), false) {
      @Override public VerifiedEnclave verify(byte[] evidence, VerificationContext context) {
        throw new ArrayIndexOutOfBoundsException(7);
      }
    };
    refused(AttestationVerifier.create(List.of(broken)), FakeHardware.EVIDENCE,
        policy("measurement=" + MEASUREMENT), Reason.MALFORMED).hasMessageContaining("fake-hw verifier failed");
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  /** A stand-in hardware verifier: recognizes "FAKE…" (or everything) and reports an SGX enclave. */
  private static class FakeHardware implements EvidenceVerifier {
    static final byte[] EVIDENCE = "FAKE quote".getBytes(StandardCharsets.US_ASCII);
    private final Optional<TcbAppraisal> tcb;
    private final boolean recognizesEverything;

    FakeHardware(Optional<TcbAppraisal> tcb, boolean recognizesEverything) {
      this.tcb = tcb;
      this.recognizesEverything = recognizesEverything;
    }

    @Override public String format() {
      return "fake-hw";
    }

    @Override public boolean recognizes(byte[] evidence) {
      return recognizesEverything || Arrays.equals(evidence, EVIDENCE);
    }

    @Override public VerifiedEnclave verify(byte[] evidence, VerificationContext context) {
      return new VerifiedEnclave("fake-hw", PlatformKind.SGX, SecurityLevel.HARDWARE,
          Bytes.fromHex(MEASUREMENT), Optional.empty(), 0, 0, false, Bytes.empty(), Optional.empty(),
          Optional.empty(), tcb, Map.of());
    }
  }
}
