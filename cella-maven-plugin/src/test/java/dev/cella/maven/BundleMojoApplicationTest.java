package dev.cella.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.bundle.Manifest;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;

class BundleMojoApplicationTest {
  private static BundleMojo mojo() {
    BundleMojo mojo = new BundleMojo(null, null);
    mojo.name = "tool";
    return mojo;
  }

  @Test
  void mainClass_makesAnApplicationBundle_withItsArgsEnvAndDirectory() throws Exception {
    BundleMojo mojo = mojo();
    mojo.mainClass = "org.example.Tool";
    mojo.programArgs = List.of("-v");
    mojo.programEnv.put("TZ", "UTC");
    mojo.workingDirectory = "/work";
    Manifest manifest = mojo.manifest();
    assertThat(manifest.entry()).isEmpty();
    assertThat(manifest.application()).hasValueSatisfying(app -> {
      assertThat(app.mainClass()).isEqualTo("org.example.Tool");
      assertThat(app.args()).containsExactly("-v");
      assertThat(app.env()).containsEntry("TZ", "UTC");
      assertThat(app.workingDirectory()).contains("/work");
    });
  }

  @Test
  void programArgsWithoutMainClass_failTheBuild() {
    BundleMojo mojo = mojo();
    mojo.entry = "org.example.App";
    mojo.programArgs = List.of("-v");
    assertThatThrownBy(mojo::manifest).isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("need <mainClass>");
  }
}
