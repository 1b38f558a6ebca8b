package dev.cella.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JarSelectionTest {
  @TempDir Path dir;
  private JarSelection.Artifact project;
  private List<JarSelection.Artifact> runtime;

  private JarSelection.Artifact artifact(String group, String id, String version) throws IOException {
    Path file = Files.write(dir.resolve(id + "-" + version + "-in-repo.jar"), new byte[] {'P', 'K', 3, 4});
    return new JarSelection.Artifact(group, id, version, null, file);
  }

  @BeforeEach
  void setUp() throws IOException {
    project = artifact("com.example", "app", "1.0-SNAPSHOT");
    runtime = List.of(artifact("dev.cella", "cella-enclave", "0.2.0"),
        artifact("dev.cella", "cella-api", "0.2.0"));
  }

  @Test
  void select_namesJarsByCoordinates_andTakesRuntimeArtifactsOnce() throws IOException {
    JarSelection.Selection s = JarSelection.select(project,
        List.of(artifact("dev.cella", "cella-api", "0.2.0"), artifact("org.example", "lib", "2.1")),
        runtime);
    assertThat(s.project().name()).isEqualTo("app-1.0-SNAPSHOT.jar");
    assertThat(s.dependencies()).extracting(BundleAssembler.Jar::name).containsExactly("lib-2.1.jar");
    assertThat(s.runtime()).extracting(BundleAssembler.Jar::name)
        .containsExactly("cella-enclave-0.2.0.jar", "cella-api-0.2.0.jar");
  }

  @Test
  void select_dependencyOnAnotherRuntimeVersion_isRefusedNamingBoth() {
    assertThatThrownBy(() -> JarSelection.select(project,
        List.of(artifact("dev.cella", "cella-api", "0.1.0")), runtime))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dev.cella:cella-api:0.1.0").hasMessageContaining("0.2.0");
  }

  @Test
  void select_runtimeWithoutCellaEnclave_isRefused() throws IOException {
    List<JarSelection.Artifact> noEnclave = List.of(artifact("dev.cella", "cella-api", "0.2.0"));
    assertThatThrownBy(() -> JarSelection.select(project, List.of(), noEnclave))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cella-enclave");
  }

  @Test
  void select_dependencyThatIsAFolder_isRefusedSayingToPackage() throws IOException {
    Path classes = Files.createDirectories(dir.resolve("target/classes"));
    JarSelection.Artifact folder = new JarSelection.Artifact("com.example", "api", "1.0", null, classes);
    assertThatThrownBy(() -> JarSelection.select(project, List.of(folder), runtime))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("package phase");
  }
}
