package dev.cella.apptests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cella.BackendInfo;
import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.ProgramExit;
import dev.cella.backend.process.ProcessBackend;
import dev.cella.bundle.ApplicationSpec;
import dev.cella.bundle.FileGrant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mozilla Rhino's JavaScript shell (org.mozilla:rhino, unmodified) inside the process backend: it
 * runs a script from a read-only mount that reads a granted file and prints to stdout; reads
 * stdin; its {@code quit(n)} (System.exit) becomes the exit status, while an out-of-memory end
 * with the same process status is a crash; a sealed mount serves {@code java.io} and {@code
 * java.nio} across restarts as ciphertext on the host; and a file outside every grant is refused
 * inside with a plain Java exception.
 */
class RhinoTest {
  private static final String SHELL = "org.mozilla.javascript.tools.shell.Main";

  @TempDir Path dir;
  private Path scripts;
  private Path bundle;

  @BeforeEach
  void setUp() throws Exception {
    BackendInfo info = new ProcessBackend().info();
    assumeTrue(info.isAvailable(), () -> "process backend: " + info.unavailabilityCause().orElse(""));
    scripts = Files.createDirectories(dir.resolve("scripts"));
    bundle = AppBundles.build(dir, "rhino", AppBundles.jarOf(org.mozilla.javascript.Context.class),
        new ApplicationSpec(SHELL, List.of("-opt", "-1"), new LinkedHashMap<>(), Optional.empty()),
        List.of(new FileGrant(scripts.toString(), "/in", FileGrant.Mode.READ_ONLY)));
  }

  @Test
  void script_readsAGrantedFile_andPrintsToStdout() throws Exception {
    Files.writeString(scripts.resolve("data.txt"), "granted line one\ngranted line two\n");
    Files.writeString(scripts.resolve("count.js"), """
        var text = readFile('/in/data.txt');
        var lines = text.split('\\n').filter(function (l) { return l.length > 0; });
        print('lines: ' + lines.length);
        print('first: ' + lines[0]);
        print('args: ' + arguments.join(','));
        """);
    var run = ProgramRunner.run(dir.resolve("home"), bundle, "", List.of("/in/count.js", "a", "b"));
    assertThat(run.exit().how()).as(run.stderr()).isEqualTo(ProgramExit.How.RETURNED);
    assertThat(run.exit().status()).isZero();
    assertThat(run.stdout()).contains("lines: 2").contains("first: granted line one")
        .contains("args: a,b");
  }

  @Test
  void script_readsStdin_andQuitsWithAStatus_whichIsTheExitStatus() throws Exception {
    Files.writeString(scripts.resolve("echo.js"), """
        var stdin = new java.io.BufferedReader(new java.io.InputStreamReader(java.lang.System['in']));
        var line = stdin.readLine();
        print('got ' + line);
        quit(7);
        """);
    var run = ProgramRunner.run(dir.resolve("home"), bundle, "from the host\n",
        List.of("/in/echo.js"));
    assertThat(run.stdout()).as(run.stderr()).contains("got from the host");
    assertThat(run.exit().how()).isEqualTo(ProgramExit.How.EXITED);
    assertThat(run.exit().status()).isEqualTo(7);
  }

  @Test
  void outOfMemory_endsTheJvmWithStatus3LikeQuit3_butIsReportedAsACrash() throws Exception {
    Files.writeString(scripts.resolve("hog.js"), """
        var hoard = new java.util.ArrayList();
        for (var i = 0; i < 100000; i++) { hoard.add(java.lang.reflect.Array.newInstance(
            java.lang.Byte.TYPE, 1048576)); }
        print('not reached');
        """);
    assertThatThrownBy(() -> ProgramRunner.run(dir.resolve("home"), bundle, "",
        List.of("/in/hog.js")))
        .isInstanceOf(EnclaveException.class)
        .satisfies(e -> assertThat(((EnclaveException) e).code()).isEqualTo(Code.UNAVAILABLE))
        .hasMessageContaining("exited with status 3");
  }

  @Test
  void aSealedMount_servesJavaIoAndNio_acrossRestarts_asCiphertextOnTheHost() throws Exception {
    Path state = dir.resolve("state");
    Path sealedBundle = AppBundles.build(dir, "rhino-sealed",
        AppBundles.jarOf(org.mozilla.javascript.Context.class),
        new ApplicationSpec(SHELL, List.of("-opt", "-1"), new LinkedHashMap<>(), Optional.empty()),
        List.of(new FileGrant(scripts.toString(), "/in", FileGrant.Mode.READ_ONLY),
            new FileGrant(state.toString(), "/state", FileGrant.Mode.SEALED)));
    Files.writeString(scripts.resolve("count.js"), """
        var file = new java.io.File('/state/visits.txt');
        var visits = file.exists() ? parseInt(readFile('/state/visits.txt')) : 0;
        var viaNio = file.exists() ? java.nio.file.Files.readString(file.toPath()) : 'none';
        var out = new java.io.FileWriter(file);
        out.write(String(visits + 1));
        out.close();
        new java.io.File('/state/notes').mkdir();
        java.nio.file.Files.writeString(java.nio.file.Path.of('/state/notes/n.txt'),
            'sealed-note-text');
        print('visits ' + visits + ' nio ' + viaNio);
        """);
    Path home = dir.resolve("home");
    var first = ProgramRunner.run(home, sealedBundle, "", List.of("/in/count.js"));
    assertThat(first.stdout()).as(first.stderr()).contains("visits 0 nio none");
    var second = ProgramRunner.run(home, sealedBundle, "", List.of("/in/count.js"));
    assertThat(second.stdout()).as(second.stderr()).contains("visits 1 nio 1");
    try (var files = Files.walk(state)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1))
            .doesNotContain("sealed-note-text").doesNotContain("visits");
      }
    }
  }

  @Test
  void aFileOutsideTheGrants_isRefusedInside_withAPlainJavaException() throws Exception {
    Files.writeString(scripts.resolve("peek.js"), """
        try {
          java.nio.file.Files.readAllBytes(java.nio.file.Path.of('/etc/passwd'));
          print('read it');
        } catch (e) {
          print('refused: ' + e.javaException.getClass().getName());
        }
        java.nio.file.Files.readString(java.nio.file.Path.of('/srv/secrets/key.txt'));
        """);
    var run = ProgramRunner.run(dir.resolve("home"), bundle, "", List.of("/in/peek.js"));
    assertThat(run.stdout()).contains("refused: java.nio.file.NoSuchFileException")
        .doesNotContain("read it");
    assertThat(run.exit().status()).isNotZero();
    assertThat(run.stderr()).contains("NoSuchFileException").contains("/srv/secrets/key.txt");
  }
}
