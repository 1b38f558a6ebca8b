package dev.cella.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cella.bundle.Bundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InspectCommandTest extends CliTestBase {
  @Test
  void inspect_signedBundle_showsIdentityAndManifest() throws Exception {
    Path bundle = signedBundle();
    Bundle verified = Bundle.open(bundle);
    String out = ok(Cli.run("inspect", bundle.toString())).out();
    assertThat(out).contains("valid (ES384)").contains(verified.measurement().hex())
        .contains(verified.signer().hex()).contains("com.example.App")
        .containsPattern("product id +5").containsPattern("svn +3").containsPattern("debug +false")
        .contains("heap 256 MiB").containsPattern("host access +none").contains("app.jar")
        .contains(Cli.runtimeNames(runtime).getFirst());
  }

  @Test
  void inspect_json_isParsableAndComplete() throws Exception {
    Path bundle = signedBundle();
    Bundle verified = Bundle.open(bundle);
    String out = ok(Cli.run("inspect", bundle.toString(), "--json")).out();
    Map<String, String> top = KeygenCommandTest.parse(out);
    assertThat(top).containsEntry("signed", "true").containsEntry("measurement", verified.measurement().hex())
        .containsEntry("signer", verified.signer().hex()).containsEntry("productId", "5")
        .containsEntry("svn", "3").containsEntry("entry", "com.example.App");
    assertThat(out).contains("\"sha384\"").contains("\"maxFrameBytes\"").contains("\"hostAccess\"");
  }

  @Test
  void inspect_unsignedBundle_isShownAsUnsigned() {
    String out = ok(Cli.run("inspect", unsignedBundle().toString())).out();
    assertThat(out).contains("UNSIGNED").doesNotContain("valid (ES384)");
  }

  @Test
  void inspect_tamperedBundle_isRefusedWithStatus3() throws Exception {
    Path bundle = signedBundle();
    byte[] bytes = Files.readAllBytes(bundle);
    Path tampered = dir.resolve("tampered.cella");
    Files.write(tampered, Cli.replace(bytes, "lib/app.jar", Cli.jar("com/example/App.class", "evil")));
    fails(Cli.run("inspect", tampered.toString()), 3, "BAD_SIGNATURE");
  }

  @Test
  void inspect_corruptOrMissingBundle_failsWithStatus1() throws Exception {
    Path bundle = signedBundle();
    byte[] bytes = Files.readAllBytes(bundle);
    bytes[bytes.length / 2] ^= 0x55;
    Path corrupt = Files.write(dir.resolve("corrupt.cella"), bytes);
    fails(Cli.run("inspect", corrupt.toString()), 1, "CORRUPT_ARCHIVE");
    fails(Cli.run("inspect", Files.writeString(dir.resolve("t.cella"), "text").toString()), 1, "NOT_A_BUNDLE");
    fails(Cli.run("inspect", dir.resolve("missing.cella").toString()), 1, "no such bundle");
    fails(Cli.run("inspect", dir.toString()), 1, "not a regular file");
  }

  @Test
  void inspect_wrongArguments_areUsageErrors() {
    fails(Cli.run("inspect"), 2, "FILE.cella");
    fails(Cli.run("inspect", "a.cella", "b.cella"), 2, "b.cella");
    fails(Cli.run("inspect", "a.cella", "--yaml"), 2, "--yaml");
  }
}
