package dev.cella.cli;

import static dev.cella.cli.CliTestBase.fails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cella.testing.TestBundles;
import dev.cella.testing.apps.EchoApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands that load enclaves: run, attest, verify, backends, platform export-root. */
class EnclaveCommandsTest {
  @TempDir static Path dir;
  static Path bundle;

  @BeforeAll
  static void buildBundle() throws IOException {
    bundle = TestBundles.builder("echo", EchoApp.class).config("from-manifest").build(dir);
  }

  @Test
  void run_printsTheOutput() {
    Cli.Result r = Cli.run("run", bundle.toString(), "--input", "echo:hello there");
    assertThat(r.status()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("hello there");
    assertThat(r.err()).contains("isolates nothing");
  }

  @Test
  void run_readsAnInputFile_andWritesBinaryOutputToAFile() throws IOException {
    Path input = Files.writeString(dir.resolve("in.txt"), "big:3");
    Path out = dir.resolve("out.bin");
    Cli.Result r = Cli.run("run", bundle.toString(), "--input-file", input.toString(),
        "--out", out.toString());
    assertThat(r.status()).as(r.toString()).isZero();
    assertThat(Files.readAllBytes(out)).containsExactly(0, 0, 0);
  }

  @Test
  void run_withBinaryOutputOnStdout_saysToUseOut() throws IOException {
    // Not a command, so the echo app returns it unchanged: bytes that are not UTF-8.
    Path input = Files.write(dir.resolve("binary.in"), new byte[] {(byte) 0xff, (byte) 0xfe});
    fails(Cli.run("run", bundle.toString(), "--input-file", input.toString()), 1, "--out");
  }

  @Test
  void run_reportsTheApplicationsFailure_onOneLine() {
    fails(Cli.run("run", bundle.toString(), "--input", "fail:PERMISSION_DENIED:no entry"), 1,
        "no entry");
  }

  @Test
  void run_ofACorruptBundle_failsClearly() throws IOException {
    Path corrupt = Files.write(dir.resolve("corrupt.cella"), new byte[] {1, 2, 3});
    fails(Cli.run("run", corrupt.toString()), 1, "corrupt.cella");
  }

  @Test
  void run_ofATamperedBundle_exitsThree() throws IOException {
    byte[] bytes = Files.readAllBytes(bundle);
    // Flip a byte inside the first stored entry's content (past its local header).
    bytes[200] ^= 1;
    Path tampered = Files.write(dir.resolve("tampered.cella"), bytes);
    Cli.Result r = Cli.run("run", tampered.toString(), "--input", "echo:x");
    assertThat(r.status()).as(r.toString()).isIn(1, 3);
    assertThat(r.err()).startsWith("cella: ").doesNotContain("\tat ");
  }

  @Test
  void run_onAnUnknownBackend_namesTheKnownOnes() {
    fails(Cli.run("run", bundle.toString(), "--backend", "warp"), 1, "no backend named 'warp'");
  }

  @Test
  void run_withBothInputs_isAUsageError() {
    fails(Cli.run("run", bundle.toString(), "--input", "a", "--input-file", "b"), 2,
        "mutually exclusive");
  }

  @Test
  void backends_listsSim_withWhatItDoesNotProtect() {
    Cli.Result r = Cli.run("backends");
    assertThat(r.status()).isZero();
    assertThat(r.out()).contains("sim  available").contains("does NOT protect against");
    Cli.Result json = Cli.run("backends", "--json");
    assertThat(json.out()).contains("\"name\" : \"sim\"").contains("\"securityLevel\" : \"none\"");
  }

  @Test
  void backends_listsVm_withWhatItDoesNotProtect() {
    Cli.Result json = Cli.run("backends", "--json");
    assertThat(json.status()).isZero();
    assertThat(json.out()).contains("\"name\" : \"vm\"")
        .contains("\"securityLevel\" : \"vm-isolation\"").contains("no memory encryption");
  }

  @Test
  void attest_thenVerify_withAPinnedPolicy_passes_andAWrongNonceExitsThree() throws IOException {
    Path evidence = dir.resolve("echo.evidence");
    Cli.Result attested = Cli.run("attest", bundle.toString(), "--nonce", "c0ffee",
        "--report-data", "abcd", "--out", evidence.toString());
    assertThat(attested.status()).as(attested.toString()).isZero();
    Path root = dir.resolve("sim-root.pem");
    Cli.Result exported = Cli.run("platform", "export-root", "--backend", "sim");
    assertThat(exported.out()).startsWith("-----BEGIN CERTIFICATE-----");
    Files.writeString(root, exported.out());
    String measurement = Cli.run("inspect", bundle.toString(), "--json").out()
        .replaceAll("(?s).*\"measurement\" : \"([0-9a-f]{96})\".*", "$1");
    String policy = "measurement=" + measurement + " nonce=c0ffee report-data=abcd root=" + root
        + " insecure=accept-simulated";
    Cli.Result verified = Cli.run("verify", evidence.toString(), "--policy", policy, "--json");
    assertThat(verified.status()).as(verified.toString()).isZero();
    assertThat(verified.out()).contains("\"platform\" : \"sim\"").contains(measurement);
    fails(Cli.run("verify", evidence.toString(), "--policy",
        policy.replace("nonce=c0ffee", "nonce=c0ffef")), 3, "BINDING_MISMATCH");
    fails(Cli.run("verify", evidence.toString(), "--policy", policy.replace(" root=" + root, "")),
        3, "UNTRUSTED_ROOT");
  }

  @Test
  void attest_withAnOversizedNonce_isAUsageError() {
    fails(Cli.run("attest", bundle.toString(), "--nonce", "00".repeat(65), "--out",
        dir.resolve("x").toString()), 2, "64 bytes");
  }

  @Test
  void verify_ofGarbage_isRefused_andBadPoliciesAreUsageErrors() throws IOException {
    Path garbage = Files.write(dir.resolve("garbage.bin"), new byte[] {0x42, 0x42});
    fails(Cli.run("verify", garbage.toString()), 3, "UNSUPPORTED_FORMAT");
    fails(Cli.run("verify", garbage.toString(), "--policy", "nonsense"), 2, "bad policy");
    fails(Cli.run("verify", garbage.toString(), "--at", "soon"), 2, "ISO-8601");
    fails(Cli.run("verify", dir.resolve("missing").toString()), 1, "missing");
  }

  @Test
  void platformExportRoot_ofAHardwarePlatform_isAUsageError() {
    fails(Cli.run("platform", "export-root", "--backend", "sgx"), 2, "hardware platform");
  }
}
