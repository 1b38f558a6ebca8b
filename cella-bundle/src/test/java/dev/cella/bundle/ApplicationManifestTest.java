package dev.cella.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.bundle.InvalidBundleException.Reason;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.SequencedMap;
import org.junit.jupiter.api.Test;

class ApplicationManifestTest {
  private static ApplicationSpec spec() {
    SequencedMap<String, String> env = new LinkedHashMap<>();
    env.put("ZONE", "utc");
    env.put("APP_MODE", "batch");
    return new ApplicationSpec("org.example.Tool", List.of("-v", "in put"), env,
        Optional.of("/work"));
  }

  @Test
  void application_roundTrips_withEnvWrittenSortedAtTheEnd() throws Exception {
    Manifest m = Manifest.builder().name("tool").application(spec()).build();
    String json = Fixtures.utf8(m.toJson());
    assertThat(json).endsWith(",\"initialConfig\":\"\",\"application\":{\"mainClass\":"
        + "\"org.example.Tool\",\"args\":[\"-v\",\"in put\"],\"env\":{\"APP_MODE\":\"batch\","
        + "\"ZONE\":\"utc\"},\"workingDirectory\":\"/work\"}}");
    Manifest parsed = Manifest.fromJson(m.toJson());
    assertThat(parsed).isEqualTo(m);
    assertThat(parsed.application()).contains(spec());
    assertThat(parsed.toJson()).isEqualTo(m.toJson());
  }

  @Test
  void manifestWithoutApplication_isWrittenAsBefore() throws Exception {
    String old = "{\"formatVersion\":1,\"name\":\"a\",\"entry\":\"x.Y\",\"services\":[],"
        + "\"productId\":0,\"svn\":0,\"debug\":false,\"limits\":{\"heapMebibytes\":256,\"threads\":64,"
        + "\"maxFrameBytes\":16777216,\"maxNestingDepth\":32},\"hostAccess\":{\"files\":[],"
        + "\"network\":[]},\"initialConfig\":\"\"}";
    Manifest parsed = Manifest.fromJson(Fixtures.utf8(old));
    assertThat(parsed.application()).isEmpty();
    assertThat(Fixtures.utf8(parsed.toJson())).isEqualTo(old);
  }

  @Test
  void application_minimal_hasNoArgsEnvOrDirectory() throws Exception {
    Manifest m = Manifest.fromJson(Fixtures.utf8("{\"formatVersion\":1,\"name\":\"a\",\"productId\":0,"
        + "\"svn\":0,\"debug\":false,\"application\":{\"mainClass\":\"a.Main\"}}"));
    assertThat(m.application()).contains(ApplicationSpec.of("a.Main"));
    assertThat(m.entry()).isEmpty();
  }

  @Test
  void application_withEntry_isRefused() {
    assertThatThrownBy(() -> Manifest.fromJson(Fixtures.utf8("{\"formatVersion\":1,\"name\":\"a\","
        + "\"entry\":\"a.App\",\"productId\":0,\"svn\":0,\"debug\":false,"
        + "\"application\":{\"mainClass\":\"a.Main\"}}")))
        .isInstanceOf(InvalidBundleException.class)
        .satisfies(e -> assertThat(((InvalidBundleException) e).reason())
            .isEqualTo(Reason.INVALID_MANIFEST))
        .hasMessageContaining("application");
  }

  @Test
  void application_unknownField_isRefusedNamingIt() {
    assertThatThrownBy(() -> Manifest.fromJson(Fixtures.utf8("{\"formatVersion\":1,\"name\":\"a\","
        + "\"productId\":0,\"svn\":0,\"debug\":false,"
        + "\"application\":{\"mainClass\":\"a.Main\",\"user\":\"root\"}}")))
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining("application.user");
  }

  @Test
  void application_badEnvNameOrArgType_isRefused() {
    assertThatThrownBy(() -> Manifest.fromJson(Fixtures.utf8("{\"formatVersion\":1,\"name\":\"a\","
        + "\"productId\":0,\"svn\":0,\"debug\":false,"
        + "\"application\":{\"mainClass\":\"a.Main\",\"env\":{\"A-B\":\"x\"}}}")))
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining("A-B");
    assertThatThrownBy(() -> Manifest.fromJson(Fixtures.utf8("{\"formatVersion\":1,\"name\":\"a\","
        + "\"productId\":0,\"svn\":0,\"debug\":false,"
        + "\"application\":{\"mainClass\":\"a.Main\",\"args\":[1]}}")))
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining("application.args[0]");
  }

  @Test
  void application_relativeWorkingDirectory_isRefused() {
    assertThatThrownBy(() -> new ApplicationSpec("a.Main", List.of(), new LinkedHashMap<>(),
        Optional.of("work")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("workingDirectory");
  }
}
