package dev.cella.apptests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cella.BackendInfo;
import dev.cella.backend.process.ProcessBackend;
import dev.cella.bundle.ApplicationSpec;
import dev.cella.bundle.FileGrant;
import dev.cella.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cella run FILE -- ARGS} on the process backend: the program's status is the command's. */
class CliRunTest {
  @TempDir Path dir;
  private Path bundle;

  @BeforeEach
  void setUp() throws Exception {
    BackendInfo info = new ProcessBackend().info();
    assumeTrue(info.isAvailable(), () -> "process backend: " + info.unavailabilityCause().orElse(""));
    Path scripts = Files.createDirectories(dir.resolve("scripts"));
    Files.writeString(scripts.resolve("quit.js"), "quit(parseInt(arguments[0]));\n");
    Files.writeString(scripts.resolve("missing.js"),
        "java.nio.file.Files.readString(java.nio.file.Path.of('/opt/conf/app.conf'));\n");
    bundle = AppBundles.build(dir, "rhino-cli", AppBundles.jarOf(org.mozilla.javascript.Context.class),
        new ApplicationSpec("org.mozilla.javascript.tools.shell.Main", List.of("-opt", "-1"),
            new LinkedHashMap<>(), Optional.empty()),
        List.of(new FileGrant(scripts.toString(), "/in", FileGrant.Mode.READ_ONLY)));
  }

  private record Result(int status, String err) {}

  private Result cella(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(status, err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void theProgramsExitStatus_isTheCommandsExitStatus() {
    assertThat(cella("run", bundle.toString(), "--backend", "process", "--", "/in/quit.js", "0")
        .status()).isZero();
    assertThat(cella("run", bundle.toString(), "--backend", "process", "--", "/in/quit.js", "42")
        .status()).isEqualTo(42);
  }

  @Test
  void aRefusedFile_failsTheProgram_withItsOwnStatus() {
    Result r = cella("run", bundle.toString(), "--backend", "process", "--", "/in/missing.js");
    assertThat(r.status()).isEqualTo(3); // Rhino's status for an uncaught script error
  }
}
