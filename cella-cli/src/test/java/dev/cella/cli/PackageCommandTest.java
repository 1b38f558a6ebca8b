package dev.cella.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cella.bundle.Bundle;
import dev.cella.bundle.InvalidBundleException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PackageCommandTest extends CliTestBase {
  private Cli.Result pack(String... extra) {
    String[] base = {"package", "--jar", appJar.toString(), "--key", key().toString(),
        "--out", dir.resolve("out.cella").toString()};
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return Cli.run(args);
  }

  @Test
  void package_signsABundleWithTheRuntimeJars() throws Exception {
    Path config = Files.writeString(dir.resolve("config.txt"), "hello");
    Cli.Result r = ok(pack("--entry", "com.example.App", "--service", "com.example.Api=com.example.Impl",
        "--product-id", "42", "--svn", "7", "--debug", "--config-file", config.toString(),
        "--heap-mib", "128", "--threads", "4", "--max-frame-bytes", "65536"));
    Bundle bundle = Bundle.open(dir.resolve("out.cella"));
    assertThat(r.out()).contains(bundle.measurement().hex()).contains(bundle.signer().hex());
    List<String> expected = new ArrayList<>(List.of("app.jar"));
    expected.addAll(Cli.runtimeNames(runtime));
    assertThat(bundle.libraries().keySet()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(bundle.manifest().name()).isEqualTo("out");
    assertThat(bundle.manifest().productId()).isEqualTo(42);
    assertThat(bundle.manifest().svn()).isEqualTo(7);
    assertThat(bundle.manifest().debug()).isTrue();
    assertThat(bundle.manifest().limits().heapMebibytes()).isEqualTo(128);
    assertThat(bundle.manifest().limits().threads()).isEqualTo(4);
    assertThat(bundle.manifest().limits().maxFrameBytes()).isEqualTo(65536);
    assertThat(bundle.manifest().initialConfig().toByteArray()).isEqualTo("hello".getBytes());
    assertThat(bundle.manifest().services()).hasSize(1);
  }

  @Test
  void package_twice_givesTheSameBytes() throws Exception {
    Path a = dir.resolve("a.cella");
    Path b = dir.resolve("b.cella");
    ok(Cli.run("package", "--jar", appJar.toString(), "--entry", "com.example.App", "--unsigned",
        "--name", "same", "--out", a.toString()));
    ok(Cli.run("package", "--jar", appJar.toString(), "--entry", "com.example.App", "--unsigned",
        "--name", "same", "--out", b.toString()));
    assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
  }

  @Test
  void package_unsigned_writesABundleThatLoadingRefuses() {
    Path bundle = unsignedBundle();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Bundle.open(bundle))
        .isInstanceOfSatisfying(InvalidBundleException.class,
            e -> assertThat(e.reason()).isEqualTo(InvalidBundleException.Reason.UNSIGNED));
  }

  @Test
  void package_json_printsMeasurementAndSigner() throws Exception {
    Map<String, String> json = KeygenCommandTest.parse(ok(pack("--entry", "com.example.App", "--json")).out());
    Bundle bundle = Bundle.open(dir.resolve("out.cella"));
    assertThat(json).containsEntry("measurement", bundle.measurement().hex())
        .containsEntry("signer", bundle.signer().hex()).containsEntry("signed", "true");
  }

  @Test
  void package_wrongArguments_areUsageErrors() {
    fails(pack(), 2, "--entry");
    fails(pack("--entry", "com.example.App", "--product-id", "65536"), 2, "--product-id");
    fails(pack("--entry", "com.example.App", "--svn", "-1"), 2, "--svn");
    fails(pack("--entry", "com.example.App", "--product-id", "abc"), 2, "--product-id");
    fails(pack("--entry", "com.example.App", "--threads", "0"), 2, "threads");
    fails(pack("--entry", "com.example.App", "--max-frame-bytes", "10"), 2, "maxFrameBytes");
    fails(pack("--service", "com.example.Api"), 2, "IFACE=IMPL");
    fails(pack("--entry", "not a class"), 2, "--entry");
    fails(pack("--entry", "com.example.App", "--unsigned"), 2, "not both");
    fails(pack("--entry", "com.example.App", "--name", "Bad Name"), 2, "--name");
    fails(Cli.run("package", "--jar", appJar.toString(), "--entry", "com.example.App",
        "--out", dir.resolve("o.cella").toString()), 2, "--key");
    fails(Cli.run("package", "--jar", appJar.toString(), "--entry", "com.example.App", "--unsigned",
        "--out", dir.resolve("Bad Name!.cella").toString()), 2, "--name");
  }

  @Test
  void package_missingFiles_failInOneLine() {
    fails(Cli.run("package", "--jar", dir.resolve("nope.jar").toString(), "--entry", "a.B",
        "--key", key().toString(), "--out", dir.resolve("o.cella").toString()), 1, "no such jar");
    fails(Cli.run("package", "--jar", appJar.toString(), "--entry", "com.example.App",
        "--key", dir.resolve("nokey.pem").toString(), "--out", dir.resolve("o.cella").toString()),
        1, "no such key file");
    fails(pack("--entry", "com.example.App", "--config-file", dir.resolve("nope.cfg").toString()),
        1, "no such config file");
  }

  @Test
  void package_badInputs_failInOneLine() throws Exception {
    fails(pack("--entry", "com.example.Missing"), 1, "com.example.Missing is not in any --jar");
    Path notAJar = Files.writeString(dir.resolve("text.jar"), "not a zip");
    fails(Cli.run("package", "--jar", notAJar.toString(), "--entry", "a.B", "--key", key().toString(),
        "--out", dir.resolve("o.cella").toString()), 1, "text.jar");
    Path badKey = Files.writeString(dir.resolve("bad.pem"), "-----BEGIN EC PRIVATE KEY-----\nAAAA\n"
        + "-----END EC PRIVATE KEY-----\n");
    fails(Cli.run("package", "--jar", appJar.toString(), "--entry", "com.example.App",
        "--key", badKey.toString(), "--out", dir.resolve("o.cella").toString()), 1,
        "openssl pkcs8 -topk8 -nocrypt");
  }

  @Test
  void package_jarNamedLikeTheRuntime_isRefused() throws Exception {
    Path clash = dir.resolve("sub/" + Cli.runtimeNames(runtime).getFirst());
    Files.createDirectories(clash.getParent());
    Files.write(clash, Cli.jar("x/Y.class"));
    fails(pack("--entry", "com.example.App", "--jar", clash.toString()), 1, "enclave runtime");
  }

  @Test
  void package_withoutRuntimeFolder_saysHowToSetIt() {
    key();
    System.clearProperty("cella.runtime.dir");
    fails(pack("--entry", "com.example.App"), 1, "cella.runtime.dir");
  }

  @Test
  void package_serviceWithUnsupportedType_isRefusedNamingMethodAndType() {
    fails(pack("--service", "com.example.BadApi=com.example.BadImpl"), 1, "BadApi.describe(Object)");
    fails(pack("--service", "com.example.BadApi=com.example.BadImpl"), 1, "java.lang.Object");
    assertThat(dir.resolve("out.cella")).doesNotExist();
  }

  @Test
  void package_serviceChecks_refuseWhatTheRuntimeWouldRefuse() {
    fails(pack("--service", "com.example.NotAService=com.example.Impl"), 1, "@dev.cella.EnclaveService");
    fails(pack("--service", "com.example.Api=com.example.BadImpl"), 1, "does not implement com.example.Api");
    fails(pack("--service", "com.example.Missing=com.example.Impl"), 1,
        "service interface class com.example.Missing is in none");
    fails(pack("--entry", "com.example.Impl"), 1, "does not implement dev.cella.enclave.TrustedApplication");
  }

  @Test
  void package_entryAndServiceThatTheRuntimeAccepts_pass() {
    ok(pack("--entry", "com.example.App", "--service", "com.example.Api=com.example.Impl"));
    assertThat(dir.resolve("out.cella")).isRegularFile();
  }
}
