package dev.cella.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cella.examples.signer.SignerService;
import dev.cella.testing.TestBundles;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cella demo} against a repository laid out as ./cella lays it out: the README, the signer
 * example's jar and the runtime jars.
 */
class DemoCommandTest {
  @TempDir Path repo;

  @BeforeEach
  void layOutRepository() throws IOException, URISyntaxException {
    Files.writeString(repo.resolve("README.md"), "# a README to sign\n");
    Path signerJar = Path.of(SignerService.class.getProtectionDomain().getCodeSource()
        .getLocation().toURI());
    Path target = Files.createDirectories(repo.resolve("examples/signer/target"));
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(signerJar),
        "the signer example is a folder, not a jar, on this class path (run through mvn verify)");
    Files.copy(signerJar, target.resolve("signer-0.1.0-SNAPSHOT.jar"));
    Path runtime = Files.createDirectories(repo.resolve("runtime"));
    for (Map.Entry<String, byte[]> jar : TestBundles.runtimeJars().entrySet()) {
      Files.write(runtime.resolve(jar.getKey()), jar.getValue());
    }
    System.setProperty("cella.repo", repo.toString());
    System.setProperty("cella.runtime.dir", runtime.toString());
    System.setProperty("cella.home", repo.resolve("home").toString());
  }

  @AfterEach
  void clear() {
    System.clearProperty("cella.repo");
    System.clearProperty("cella.runtime.dir");
    System.clearProperty("cella.home");
  }

  @Test
  void demo_signsTheReadme_verifiesSignatureAndEvidence_andKeepsTheKeyAcrossRuns() {
    Cli.Result first = Cli.run("demo", "--json");
    assertThat(first.status()).as(first.toString()).isZero();
    assertThat(first.out()).contains("\"verified\" : true").contains("\"keyCreated\" : true")
        .contains("\"jdk\" : true");
    Cli.Result second = Cli.run("demo", "--json");
    assertThat(second.status()).as(second.toString()).isZero();
    assertThat(second.out()).contains("\"keyCreated\" : false");
    assertThat(key(second.out())).isEqualTo(key(first.out()));
  }

  @Test
  void demo_ofAMissingFile_failsOnOneLine() {
    Cli.Result r = Cli.run("demo", "--file", repo.resolve("nope.txt").toString());
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err()).startsWith("cella: ").contains("nope.txt");
  }

  private static String key(String json) {
    return json.replaceAll("(?s).*\"publicKeySha384\" : \"([0-9a-f]+)\".*", "$1");
  }
}
