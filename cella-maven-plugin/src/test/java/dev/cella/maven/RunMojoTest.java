package dev.cella.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.testing.TestBundles;
import dev.cella.testing.apps.EchoApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunMojoTest {
  @TempDir Path dir;
  private final List<String> log = new ArrayList<>();

  private RunMojo mojo(Path bundle) {
    RunMojo mojo = new RunMojo();
    mojo.setLog(Recorders.log(log));
    mojo.bundle = bundle.toFile();
    mojo.backend = "sim";
    return mojo;
  }

  @Test
  void run_onSim_logsTheEnclavesOutput() throws Exception {
    RunMojo mojo = mojo(TestBundles.builder("echo", EchoApp.class).build(dir));
    mojo.input = "echo:hello from maven";
    mojo.execute();
    assertThat(log).contains("INFO   hello from maven");
    assertThat(log).anyMatch(l -> l.startsWith("WARN") && l.contains("isolates nothing"));
  }

  @Test
  void run_withInputAndOutputFiles_passesTheBytesThrough() throws Exception {
    RunMojo mojo = mojo(TestBundles.builder("echo", EchoApp.class).build(dir));
    mojo.inputFile = Files.writeString(dir.resolve("in.txt"), "echo:from a file").toFile();
    mojo.outputFile = dir.resolve("out.bin").toFile();
    mojo.execute();
    assertThat(Files.readString(dir.resolve("out.bin"))).isEqualTo("from a file");
  }

  @Test
  void run_unknownBackendOrMissingBundle_failsTheBuildWithTheReason() throws Exception {
    RunMojo unknown = mojo(TestBundles.builder("echo", EchoApp.class).build(dir));
    unknown.backend = "warp";
    assertThatThrownBy(unknown::execute).isInstanceOf(MojoFailureException.class).hasMessageContaining("warp");
    assertThatThrownBy(mojo(dir.resolve("none.cella"))::execute)
        .isInstanceOf(MojoFailureException.class).hasMessageContaining("no such bundle");
  }

  @Test
  void run_applicationFailure_failsTheBuildWithItsCode() throws Exception {
    RunMojo mojo = mojo(TestBundles.builder("echo", EchoApp.class).build(dir));
    mojo.input = "fail:PERMISSION_DENIED:no entry";
    assertThatThrownBy(mojo::execute).isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("no entry").hasMessageContaining("PERMISSION_DENIED");
  }
}
