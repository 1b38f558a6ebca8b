package dev.cella.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cella.bundle.Bundle;
import dev.cella.bundle.FileGrant;
import dev.cella.bundle.NetworkGrant;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** cella package --main-class and cella run -- ARGS, on sim (the process backend: cella-app-tests). */
class ApplicationCommandsTest extends CliTestBase {
  private Path pack(String name, String... extra) {
    Path out = dir.resolve(name + ".cella");
    String[] base = {"package", "--jar", appJar.toString(), "--main-class", "com.example.Tool",
        "--key", key().toString(), "--out", out.toString()};
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    ok(Cli.run(args));
    return out;
  }

  @Test
  void package_mainClass_writesTheApplicationAndTheGrants() throws Exception {
    Path bundle = pack("tool", "--arg", "-v", "--env", "TZ=UTC", "--workdir", "/work",
        "--mount", dir + ":/in:read-only", "--mount", dir.resolve("db") + ":/data:sealed");
    var manifest = Bundle.open(bundle).manifest();
    assertThat(manifest.entry()).isEmpty();
    assertThat(manifest.application()).hasValueSatisfying(app -> {
      assertThat(app.mainClass()).isEqualTo("com.example.Tool");
      assertThat(app.args()).containsExactly("-v");
      assertThat(app.env()).containsEntry("TZ", "UTC");
      assertThat(app.workingDirectory()).contains("/work");
    });
    assertThat(manifest.hostAccess().files()).containsExactly(
        new FileGrant(dir.toString(), "/in", FileGrant.Mode.READ_ONLY),
        new FileGrant(dir.resolve("db").toString(), "/data", FileGrant.Mode.SEALED));
    assertThat(Cli.run("inspect", bundle.toString()).out()).contains("main class")
        .contains("com.example.Tool");
  }

  @Test
  void package_mainClassWithEntry_orABadMount_isAUsageError() {
    Cli.Result both = Cli.run("package", "--jar", appJar.toString(), "--main-class",
        "com.example.Tool", "--entry", "com.example.App", "--unsigned", "--out",
        dir.resolve("x.cella").toString());
    assertThat(both.status()).isEqualTo(2);
    assertThat(both.err()).contains("--main-class");
    Cli.Result mount = Cli.run("package", "--jar", appJar.toString(), "--main-class",
        "com.example.Tool", "--mount", "/a:/b", "--unsigned", "--out",
        dir.resolve("y.cella").toString());
    assertThat(mount.status()).isEqualTo(2);
    assertThat(mount.err()).contains("HOST:ENCLAVE:MODE");
  }

  @Test
  void package_connectAndListen_writeTheNetworkGrants_andABadOneIsAUsageError() throws Exception {
    Path bundle = pack("net-tool", "--connect", "db.internal:5432", "--connect", "[::1]:8080",
        "--listen", "8443");
    assertThat(Bundle.open(bundle).manifest().hostAccess().network()).containsExactly(
        new NetworkGrant.Connect("db.internal", 5432), new NetworkGrant.Connect("::1", 8080),
        new NetworkGrant.Listen(8443));
    Cli.Result noPort = Cli.run("package", "--jar", appJar.toString(), "--main-class",
        "com.example.Tool", "--connect", "db.internal", "--unsigned", "--out",
        dir.resolve("n1.cella").toString());
    assertThat(noPort.status()).isEqualTo(2);
    assertThat(noPort.err()).contains("--connect").contains("host:port");
    Cli.Result badPort = Cli.run("package", "--jar", appJar.toString(), "--main-class",
        "com.example.Tool", "--listen", "70000", "--unsigned", "--out",
        dir.resolve("n2.cella").toString());
    assertThat(badPort.status()).isEqualTo(2);
    assertThat(badPort.err()).contains("--listen").contains("65535");
  }

  @Test
  void package_mainClassWithoutMain_isRefused() {
    Cli.Result r = Cli.run("package", "--jar", appJar.toString(), "--main-class",
        "com.example.App", "--unsigned", "--out", dir.resolve("z.cella").toString());
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err()).contains("no public static void main");
  }

  @Test
  void run_onSim_returnsTheProgramsStatus_andHintsAtTheMissingGrant() throws Exception {
    Path granted = Files.writeString(dir.resolve("in.txt"), "12345");
    Path bundle = pack("tool-sim", "--mount", dir + ":" + dir + ":read-only");
    Cli.Result fine = Cli.run("run", bundle.toString(), "--backend", "sim", "--", granted.toString());
    assertThat(fine.status()).as(fine.toString()).isZero();
    Cli.Result missing = Cli.run("run", bundle.toString(), "--backend", "sim", "--",
        "/nonexistent-cella-dir/in.txt");
    assertThat(missing.status()).isEqualTo(1);
    assertThat(missing.err()).contains("cella: hint: ")
        .contains("grants no host folder at /nonexistent-cella-dir");
  }

  @Test
  void run_onSim_refusesASealedMount_sayingWhy() {
    Path bundle = pack("tool-sealed", "--mount", dir.resolve("db") + ":/data:sealed");
    Cli.Result r = Cli.run("run", bundle.toString(), "--backend", "sim");
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err()).contains("sim backend cannot honour a sealed mount (/data)")
        .contains("--backend process");
  }

  @Test
  void run_inputForAnApplication_orArgsForATrustedApplication_isAUsageError() {
    Path app = pack("tool-usage");
    Cli.Result input = Cli.run("run", app.toString(), "--backend", "sim", "--input", "x");
    assertThat(input.status()).isEqualTo(2);
    assertThat(input.err()).contains("--input");
    Cli.Result args = Cli.run("run", signedBundle().toString(), "--backend", "sim", "--", "a");
    assertThat(args.status()).isEqualTo(2);
    assertThat(args.err()).contains("for application bundles only");
  }
}
