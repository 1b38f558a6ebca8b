package dev.cella.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cella.bundle.Bundle;
import dev.cella.bundle.BundleSigningKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class SignCommandTest extends CliTestBase {
  @Test
  void sign_withKey_signsInPlace() throws Exception {
    Path bundle = unsignedBundle();
    Cli.Result r = ok(Cli.run("sign", bundle.toString(), "--key", key().toString()));
    try (BundleSigningKey k = BundleSigningKey.readPem(key())) {
      assertThat(Bundle.open(bundle).signer()).isEqualTo(k.signerId());
      assertThat(r.out()).contains(k.signerId().hex());
    }
  }

  @Test
  void sign_twoSteps_withOpenssl_givesAVerifiedBundle() throws Exception {
    assumeOpenssl();
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", "hsm.pem");
    openssl("req", "-new", "-x509", "-key", "hsm.pem", "-subj", "/CN=hsm", "-days", "2", "-out", "hsm.crt");
    Path bundle = unsignedBundle();
    Path payload = dir.resolve("payload.bin");
    Cli.Result exported = ok(Cli.run("sign", bundle.toString(), "--export-payload", payload.toString()));
    assertThat(exported.out()).contains("79 bytes");
    openssl("dgst", "-sha384", "-sign", "hsm.pem", "-out", "sig.der", "payload.bin");
    Path signed = dir.resolve("signed.cella");
    ok(Cli.run("sign", bundle.toString(), "--import-signature", dir.resolve("sig.der").toString(),
        "--signer-cert", dir.resolve("hsm.crt").toString(), "--out", signed.toString()));
    Bundle verified = Bundle.open(signed);
    assertThat(ok(Cli.run("inspect", signed.toString())).out()).contains(verified.signer().hex());

    // A signature by another key than the certificate's is refused with status 3.
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", "other.pem");
    openssl("dgst", "-sha384", "-sign", "other.pem", "-out", "other.der", "payload.bin");
    fails(Cli.run("sign", bundle.toString(), "--import-signature", dir.resolve("other.der").toString(),
        "--signer-cert", dir.resolve("hsm.crt").toString()), 3, "BAD_SIGNATURE");
  }

  @Test
  void sign_wrongArguments_areUsageErrors() {
    Path bundle = unsignedBundle();
    fails(Cli.run("sign", bundle.toString()), 2, "exactly one of");
    fails(Cli.run("sign", bundle.toString(), "--key", key().toString(), "--export-payload", "p"), 2,
        "exactly one of");
    fails(Cli.run("sign", bundle.toString(), "--import-signature", "s"), 2, "--signer-cert");
    fails(Cli.run("sign", "--key", key().toString()), 2, "FILE.cella");
  }

  @Test
  void sign_missingOrCorruptBundle_failsInOneLine() throws Exception {
    fails(Cli.run("sign", dir.resolve("none.cella").toString(), "--key", key().toString()), 1, "no such bundle");
    Path corrupt = Files.writeString(dir.resolve("corrupt.cella"), "garbage garbage garbage");
    fails(Cli.run("sign", corrupt.toString(), "--key", key().toString()), 1, "NOT_A_BUNDLE");
    Path bundle = unsignedBundle();
    fails(Cli.run("sign", bundle.toString(), "--import-signature", dir.resolve("none.der").toString(),
        "--signer-cert", dir.resolve("none.crt").toString()), 1, "no such signature file");
  }

  private void assumeOpenssl() {
    boolean installed;
    try {
      openssl("version");
      installed = true;
    } catch (IOException | AssertionError e) {
      installed = false;
    }
    Assumptions.assumeTrue(installed, "openssl not installed");
  }

  private void openssl(String... args) throws IOException {
    String[] command = new String[args.length + 1];
    command[0] = "openssl";
    System.arraycopy(args, 0, command, 1, args.length);
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("openssl timed out");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    String out = new String(p.getInputStream().readAllBytes());
    if (p.exitValue() != 0) {
      throw new AssertionError("openssl " + String.join(" ", args) + ": " + out);
    }
  }
}
