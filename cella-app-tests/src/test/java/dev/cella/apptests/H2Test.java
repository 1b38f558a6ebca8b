package dev.cella.apptests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cella.BackendInfo;
import dev.cella.EnclaveException;
import dev.cella.ProgramExit;
import dev.cella.backend.process.ProcessBackend;
import dev.cella.bundle.ApplicationSpec;
import dev.cella.bundle.FileGrant;
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
 * The H2 database (com.h2database:h2, unmodified) inside the process backend: one enclave creates
 * a table and inserts rows into a database on a read-write mount, a second enclave of the same
 * bundle reads them back on stdout. A sealed data directory is refused by the process backend
 * today, with the reason (see docs/application-mode.md); that refusal is tested too.
 */
class H2Test {
  private static final String SECRET = "alice-ssn-078-05-1120";

  @TempDir Path dir;

  @BeforeEach
  void processBackendIsAvailable() {
    BackendInfo info = new ProcessBackend().info();
    assumeTrue(info.isAvailable(), () -> "process backend: " + info.unavailabilityCause().orElse(""));
  }

  @Test
  void rowsWrittenInOneEnclave_areReadBackInTheNext_andTheHostSeesNoPlaintext() throws Exception {
    Path scripts = Files.createDirectories(dir.resolve("scripts"));
    Files.writeString(scripts.resolve("create.sql"), "CREATE TABLE people(id INT PRIMARY KEY,"
        + " secret VARCHAR(64));\nINSERT INTO people VALUES (1, '" + SECRET + "'), (2, 'bob-ssn');\n");
    Files.writeString(scripts.resolve("select.sql"), "SELECT id, secret FROM people ORDER BY id;\n");
    Path data = Files.createDirectories(dir.resolve("data"));
    Path bundle = AppBundles.build(dir, "h2", AppBundles.jarOf(org.h2.tools.RunScript.class),
        new ApplicationSpec("org.h2.tools.RunScript",
            List.of("-url", "jdbc:h2:nio:/data/db", "-user", "sa"), new LinkedHashMap<>(),
            Optional.empty()),
        List.of(new FileGrant(scripts.toString(), "/scripts", FileGrant.Mode.READ_ONLY),
            new FileGrant(data.toString(), "/data", FileGrant.Mode.READ_WRITE)));
    Path home = dir.resolve("home");

    var create = ProgramRunner.run(home, bundle, "", List.of("-script", "/scripts/create.sql"));
    assertThat(create.exit().status()).as(create.stderr()).isZero();
    assertThat(create.exit().how()).isEqualTo(ProgramExit.How.RETURNED);

    var select = ProgramRunner.run(home, bundle, "",
        List.of("-script", "/scripts/select.sql", "-showResults"));
    assertThat(select.exit().status()).as(select.stderr()).isZero();
    assertThat(select.stdout()).contains(SECRET).contains("bob-ssn");

    try (Stream<Path> files = Files.list(data)) {
      assertThat(files.map(f -> f.getFileName().toString())).contains("db.mv.db");
    }
  }

  @Test
  void aSealedDataDirectory_isRefusedAtLaunch_sayingWhy() throws Exception {
    Path bundle = AppBundles.build(dir, "h2-sealed", AppBundles.jarOf(org.h2.tools.RunScript.class),
        new ApplicationSpec("org.h2.tools.RunScript", List.of(), new LinkedHashMap<>(),
            Optional.empty()),
        List.of(new FileGrant(dir.resolve("sealed").toString(), "/data", FileGrant.Mode.SEALED)));
    assertThatThrownBy(() -> ProgramRunner.run(dir.resolve("home"), bundle, "", List.of()))
        .isInstanceOf(EnclaveException.class)
        .hasMessageContaining("cannot mount sealed grant /data")
        .hasMessageContaining("Unix-domain sockets");
  }
}
