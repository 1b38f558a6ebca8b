package dev.cella.apptests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cella.BackendInfo;
import dev.cella.ProgramExit;
import dev.cella.backend.process.ProcessBackend;
import dev.cella.bundle.ApplicationSpec;
import dev.cella.bundle.FileGrant;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The H2 database (com.h2database:h2, unmodified) inside the process backend, run through its
 * own {@code org.h2.tools.RunScript} with SQL scripts on a read-only mount: with its data
 * directory on a sealed mount, one enclave creates a table and inserts rows, a second enclave of
 * the same bundle prints them, and the host's files hold none of the rows' plaintext; on a plain
 * read-write mount the host sees H2's own file; a script outside every grant fails with H2's own
 * exception, status 1, and the hint naming the missing grant.
 */
class H2Test {
  private static final String MAIN = "org.h2.tools.RunScript";
  private static final String SECRET = "alice-ssn-078-05-1120";

  @TempDir Path dir;
  private Path scripts;

  @BeforeEach
  void setUp() throws Exception {
    BackendInfo info = new ProcessBackend().info();
    assumeTrue(info.isAvailable(), () -> "process backend: " + info.unavailabilityCause().orElse(""));
    scripts = Files.createDirectories(dir.resolve("scripts"));
    Files.writeString(scripts.resolve("create.sql"), "CREATE TABLE people(id INT PRIMARY KEY,"
        + " secret VARCHAR(64));\nINSERT INTO people VALUES (1, '" + SECRET + "'), (2, 'bob-ssn');\n");
    Files.writeString(scripts.resolve("select.sql"), "SELECT id, secret FROM people ORDER BY id;\n");
  }

  private Path bundle(String name, Path data, FileGrant.Mode mode) throws Exception {
    return AppBundles.build(dir, name, AppBundles.jarOf(org.h2.tools.RunScript.class),
        new ApplicationSpec(MAIN, List.of("-url", "jdbc:h2:/data/db", "-user", "sa"),
            new LinkedHashMap<>(), Optional.empty()),
        List.of(new FileGrant(scripts.toString(), "/scripts", FileGrant.Mode.READ_ONLY),
            new FileGrant(data.toString(), "/data", mode)));
  }

  @Test
  void sealedDataDirectory_rowsSurviveARestart_andTheHostSeesNoPlaintext() throws Exception {
    Path data = dir.resolve("sealed-data");
    Path bundle = bundle("h2-sealed", data, FileGrant.Mode.SEALED);
    Path home = dir.resolve("home");

    var create = ProgramRunner.run(home, bundle, "", List.of("-script", "/scripts/create.sql"));
    assertThat(create.exit().how()).as(create.stderr()).isEqualTo(ProgramExit.How.RETURNED);
    assertThat(create.exit().status()).isZero();

    var select = ProgramRunner.run(home, bundle, "",
        List.of("-script", "/scripts/select.sql", "-showResults"));
    assertThat(select.exit().status()).as(select.stderr()).isZero();
    assertThat(select.stdout()).contains(SECRET).contains("bob-ssn");

    List<Path> hostFiles;
    try (Stream<Path> files = Files.walk(data)) {
      hostFiles = files.filter(Files::isRegularFile).toList();
    }
    assertThat(hostFiles).hasSizeGreaterThanOrEqualTo(2); // the manifest and H2's file
    for (Path file : hostFiles) {
      String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
      assertThat(bytes).as(file.toString()).doesNotContain(SECRET).doesNotContain("bob-ssn")
          .doesNotContain("PEOPLE").doesNotContain("db.mv.db");
    }
  }

  @Test
  void readWriteDataDirectory_rowsSurviveARestart_inH2sOwnFile() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Path bundle = bundle("h2-plain", data, FileGrant.Mode.READ_WRITE);
    Path home = dir.resolve("home");

    var create = ProgramRunner.run(home, bundle, "", List.of("-script", "/scripts/create.sql"));
    assertThat(create.exit().status()).as(create.stderr()).isZero();
    var select = ProgramRunner.run(home, bundle, "",
        List.of("-script", "/scripts/select.sql", "-showResults"));
    assertThat(select.stdout()).as(select.stderr()).contains(SECRET);
    assertThat(data.resolve("db.mv.db")).exists();
  }

  @Test
  void aScriptOutsideTheGrants_failsWithH2sException_andTheHintNamesTheGrant() throws Exception {
    Path bundle = bundle("h2-denied", dir.resolve("sealed-data"), FileGrant.Mode.SEALED);
    var run = ProgramRunner.run(dir.resolve("home"), bundle, "",
        List.of("-script", "/srv/setup/init.sql"));
    assertThat(run.exit().how()).isEqualTo(ProgramExit.How.UNCAUGHT_EXCEPTION);
    assertThat(run.exit().status()).isEqualTo(1);
    assertThat(run.stderr()).startsWith("Exception in thread \"main\" ")
        .contains("/srv/setup/init.sql");
    assertThat(run.exit().hint()).hasValueSatisfying(hint -> assertThat(hint)
        .contains("/srv/setup/init.sql").contains("grants no host folder at /srv/setup"));
  }
}
