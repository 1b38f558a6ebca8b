package dev.cella.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A temporary folder with a fake runtime, an app jar and, on demand, a key and a bundle. */
abstract class CliTestBase {
  @TempDir Path dir;
  Path appJar;
  Path runtime;

  @BeforeEach
  void setUp() throws Exception {
    runtime = Cli.runtime(dir);
    appJar = dir.resolve("app.jar");
    Files.write(appJar, Cli.appJar());
  }

  @AfterEach
  void clearRuntime() {
    System.clearProperty("cella.runtime.dir");
  }

  Path key() {
    Path key = dir.resolve("key.pem");
    if (!Files.exists(key)) {
      ok(Cli.run("keygen", "--out", key.toString()));
    }
    return key;
  }

  Path signedBundle() {
    Path bundle = dir.resolve("app.cella");
    ok(Cli.run("package", "--jar", appJar.toString(), "--entry", "com.example.App",
        "--product-id", "5", "--svn", "3", "--key", key().toString(), "--out", bundle.toString()));
    return bundle;
  }

  Path unsignedBundle() {
    Path bundle = dir.resolve("unsigned.cella");
    ok(Cli.run("package", "--jar", appJar.toString(), "--entry", "com.example.App", "--unsigned",
        "--out", bundle.toString()));
    return bundle;
  }

  static Cli.Result ok(Cli.Result r) {
    assertThat(r.status()).as(r.toString()).isZero();
    assertThat(r.err()).as(r.toString()).isEmpty();
    return r;
  }

  /** A failure: the status, one {@code cella:} line containing {@code message}, no stack trace. */
  static Cli.Result fails(Cli.Result r, int status, String message) {
    assertThat(r.status()).as(r.toString()).isEqualTo(status);
    String first = r.err().lines().findFirst().orElse("");
    assertThat(first).as(r.toString()).startsWith("cella: ").contains(message);
    assertThat(r.err()).as(r.toString()).doesNotContain("\tat ").doesNotContain("Exception");
    if (status != 2) {
      assertThat(r.err().lines().count()).as(r.toString()).isEqualTo(1);
    } else {
      assertThat(r.err()).as(r.toString()).contains("--help");
    }
    return r;
  }
}
