package dev.cella.attestation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.Bytes;
import dev.cella.PlatformKind;
import dev.cella.attestation.platform.SoftwarePlatform;
import dev.cella.attestation.platform.internal.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AttestationPolicyTest {
  private static final String M = Fixtures.measurement("app").hex();
  private static final String S = Fixtures.signer("acme").hex();

  @TempDir static Path home;
  private static SoftwarePlatform process;
  private static SoftwarePlatform sim;
  private static Path processRoot;
  private static Path simRoot;

  @BeforeAll
  static void roots() throws Exception {
    process = SoftwarePlatform.open(PlatformKind.PROCESS, home.resolve("process"));
    sim = SoftwarePlatform.open(PlatformKind.SIM, home.resolve("sim"));
    processRoot = Files.write(home.resolve("process.pem"), Pem.certificate(process.rootCertificate()));
    simRoot = Files.write(home.resolve("sim.pem"), Pem.certificate(sim.rootCertificate()));
  }

  @AfterAll
  static void close() {
    process.close();
    sim.close();
  }

  private static String withRoots(String text) {
    return text.replace("PROCESS_ROOT", processRoot.toString()).replace("SIM_ROOT", simRoot.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "measurement=M",
      "identity=any",
      "identity=any debug=allow platform=sgx,tdx tcb=UpToDate,SWHardeningNeeded",
      "signer=S product=0",
      "signer=S product=65535 min-svn=3",
      "measurement=M signer=S product=42 min-svn=7 debug=allow nonce=00ff report-data=abcd"
          + " platform=sim,process root=PROCESS_ROOT root=SIM_ROOT insecure=accept-simulated"
          + " tcb=UpToDate,OutOfDate image-measurement=AB jdk-version=25.0.1+8 mrtd=00 pcr0=ab pcr31=CD",
      "measurement=M root=SIM_ROOT insecure=accept-simulated",
      "measurement=M platform=nitro pcr0=0011 pcr1=ff",
      "measurement=00 tcb=OutOfDate mrenclave=11",
  })
  void canonicalText_parsesAndPrintsBackExactly(String template) {
    String text = withRoots(template).replace("=M", "=" + M).replace("=S", "=" + S);
    AttestationPolicy policy = AttestationPolicy.parse(text);
    assertThat(policy.toText()).isEqualTo(text);
    assertThat(policy.toString()).isEqualTo(text);
    assertThat(AttestationPolicy.parse(policy.toText())).isEqualTo(policy).hasSameHashCodeAs(policy);
    assertThat(policy.toBuilder().build()).isEqualTo(policy);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "product=42 signer=S             | signer=S product=42",
      "  measurement=M    debug=allow  | measurement=M debug=allow",
      "measurement=M tcb=UpToDate      | measurement=M",
      "nonce=00FF measurement=M        | measurement=M nonce=00ff",
      "measurement=M platform=TDX,sgx  | measurement=M platform=sgx,tdx",
      "measurement=M tcb=OutOfDate,UpToDate | measurement=M tcb=UpToDate,OutOfDate",
  })
  void nonCanonicalText_printsCanonically(String input, String canonical) {
    String expected = canonical.replace("=M", "=" + M).replace("=S", "=" + S);
    assertThat(AttestationPolicy.parse(input.replace("=M", "=" + M).replace("=S", "=" + S)).toText())
        .isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "colour=red                   | unknown key 'colour'",
      "MRTD=00                      | unknown key 'MRTD'",
      "measurement=M measurement=M  | given twice",
      "identity=any identity=any    | given twice",
      "measurement=M mrtd=00 mrtd=00 | given twice",
      "measurement=xyzw             | not hex",
      "measurement=abc              | even number",
      "nonce=abc                    | even number",
      "measurement=M product=-1     | decimal",
      "measurement=M product=65536  | 0 to 65535",
      "measurement=M product=007    | leading zeros",
      "measurement=M min-svn=1e3    | decimal",
      "measurement=M min-svn=9999999999 | decimal",
      "measurement=M debug=yes      | the only value is 'allow'",
      "measurement=M insecure=yes   | the only value is 'accept-simulated'",
      "identity=all                 | the only value is 'any'",
      "measurement=M platform=sim,sim | named twice",
      "measurement=M platform=sim,  | empty platform",
      "measurement=M platform=foo   | unknown platform",
      "measurement=M platform=      | empty value",
      "measurement=M tcb=Bogus      | unknown TCB status",
      "measurement=M root=/nonexistent/root.pem | cannot read root file",
      "measurement                  | expected key=value",
      "=00                          | expected key=value",
      "measurement=M nonce=         | empty value",
      "measurement=LONG             | 1 to 64 bytes",
  })
  void badToken_isRefusedNamingIt(String input, String reason) {
    String text = input.replace("=M", "=" + M).replace("=LONG", "=" + "00".repeat(65));
    String badToken = text.strip().split("\\s+")[text.strip().split("\\s+").length - 1];
    assertThatThrownBy(() -> AttestationPolicy.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("policy token '" + badToken + "'")
        .hasMessageContaining(reason);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''                                      | must name measurement= or signer=",
      "debug=allow                             | must name measurement= or signer=",
      "identity=any measurement=M              | contradicts",
      "signer=S                                | signer= needs product=",
      "identity=any product=1                  | mean something only with",
      "measurement=M platform=sim              | platform=sim needs insecure=accept-simulated",
      "measurement=M platform=process insecure=accept-simulated | contradicts platform= without sim",
  })
  void contradictoryOrIncompletePolicy_isRefused(String input, String reason) {
    assertThatThrownBy(() -> AttestationPolicy.parse(input.replace("=M", "=" + M).replace("=S", "=" + S)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(reason);
  }

  @Test
  void rootGivenAsCertificate_hasNoTextForm_butPrintsAsFingerprint() {
    AttestationPolicy policy = AttestationPolicy.builder().measurement(Fixtures.measurement("app"))
        .trustSoftwarePlatform(process.rootCertificate()).build();
    assertThatThrownBy(policy::toText).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not a file");
    assertThat(policy.toString()).isEqualTo("measurement=" + M + " root=<in-memory sha256:"
        + dev.cella.attestation.internal.PlatformCertificates.sha256Fingerprint(process.rootCertificate()) + ">");
  }

  @Test
  void trustingANonCaCertificate_isRefused() {
    assertThatThrownBy(() -> AttestationPolicy.builder()
            .trustSoftwarePlatform(process.certificateChain().get(0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a self-signed CA");
  }

  @Test
  void trustingTheSameRootTwice_isRefused() {
    assertThatThrownBy(() -> AttestationPolicy.parse(
            "measurement=" + M + " root=" + processRoot + " root=" + processRoot))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already trusted");
  }

  @Test
  void rootFileWithTwoCertificates_isRefused() throws Exception {
    Path both = home.resolve("both.pem");
    Files.write(both, Pem.certificate(process.rootCertificate()));
    Files.write(both, Pem.certificate(sim.rootCertificate()), java.nio.file.StandardOpenOption.APPEND);
    assertThatThrownBy(() -> AttestationPolicy.parse("measurement=" + M + " root=" + both))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds 2 certificates");
  }

  @Test
  void builderSetters_refuseOutOfRangeValuesAtOnce() {
    AttestationPolicy.Builder b = AttestationPolicy.builder();
    assertThatThrownBy(() -> b.measurement(Bytes.of(new byte[65]))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.signer(Bytes.empty())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.nonce(Bytes.empty())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.reportData(Bytes.of(new byte[513]))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.productId(65536)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.minSvn(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.platforms(Set.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.acceptTcb(Set.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.requireClaim("colour", "red")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.requireClaim("mrtd", "a b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.trustSoftwarePlatform(Path.of("my root.pem")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("white space");
  }

  @Test
  void acceptedPlatforms_defaultIsHardwarePlusSoftwareWithTrustedRoots() {
    AttestationPolicy processOnly = AttestationPolicy.parse(
        "measurement=" + M + " root=" + processRoot + " root=" + simRoot);
    assertThat(processOnly.acceptedPlatforms()).containsExactlyInAnyOrder(
        PlatformKind.PROCESS, PlatformKind.SGX, PlatformKind.TDX, PlatformKind.SNP, PlatformKind.NITRO);
    AttestationPolicy withSim = AttestationPolicy.parse(
        "measurement=" + M + " root=" + simRoot + " insecure=accept-simulated");
    assertThat(withSim.acceptedPlatforms()).contains(PlatformKind.SIM).doesNotContain(PlatformKind.PROCESS);
    assertThat(AttestationPolicy.parse("identity=any platform=process").acceptedPlatforms())
        .isEqualTo(EnumSet.of(PlatformKind.PROCESS));
  }

  @Test
  void defaults_refuseDebugAndAcceptOnlyUpToDate() {
    AttestationPolicy policy = AttestationPolicy.parse("measurement=" + M);
    assertThat(policy.debugAllowed()).isFalse();
    assertThat(policy.insecureAcceptsSimulated()).isFalse();
    assertThat(policy.acceptedTcbStatuses()).containsExactly(TcbStatus.UP_TO_DATE);
    assertThat(policy.trustedRoots()).isEmpty();
  }
}
