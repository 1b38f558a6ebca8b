package dev.cella.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.Bytes;
import dev.cella.EnclaveLimits;
import dev.cella.bundle.InvalidBundleException.Reason;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ManifestTest {
  private static final String VALID = """
      {"formatVersion":1,"name":"demo","entry":"com.example.App","productId":1,"svn":2,"debug":false}""";

  private static Manifest full() {
    return Manifest.builder()
        .name("full-1.0")
        .entry("com.example.App")
        .addService(new ServiceBinding("com.example.Api", "com.example.internal.ApiImpl$Impl"))
        .productId(65535).svn(0).debug(true)
        .limits(new EnclaveLimits(512, 8, 1 << 20, 16))
        .hostAccess(new HostAccess(
            List.of(new FileGrant("/srv/in", "/in", FileGrant.Mode.READ_ONLY),
                new FileGrant("/srv/state", "/state", FileGrant.Mode.SEALED)),
            List.of(new NetworkGrant.Connect("db.internal", 5432), new NetworkGrant.Connect("::1", 80),
                new NetworkGrant.Listen(8443))))
        .initialConfig(Bytes.of(new byte[] {0, 1, 2, (byte) 0xff}))
        .build();
  }

  @Test
  void toJson_roundTrips_andIsDeterministic() throws Exception {
    Manifest m = full();
    byte[] json = m.toJson();
    Manifest parsed = Manifest.fromJson(json);
    assertThat(parsed).isEqualTo(m);
    assertThat(parsed.toJson()).isEqualTo(json);
    assertThat(m.toBuilder().build().toJson()).isEqualTo(json);
  }

  @Test
  void toJson_writesFixedKeyOrderWithoutWhitespace() {
    String json = Fixtures.utf8(Manifest.builder().name("a").entry("x.Y").build().toJson());
    assertThat(json).isEqualTo("{\"formatVersion\":1,\"name\":\"a\",\"entry\":\"x.Y\",\"services\":[],"
        + "\"productId\":0,\"svn\":0,\"debug\":false,\"limits\":{\"heapMebibytes\":256,\"threads\":64,"
        + "\"maxFrameBytes\":16777216,\"maxNestingDepth\":32},\"hostAccess\":{\"files\":[],"
        + "\"network\":[]},\"initialConfig\":\"\"}");
  }

  @Test
  void fromJson_minimal_usesDefaults() throws Exception {
    Manifest m = Manifest.fromJson(Fixtures.utf8(VALID));
    assertThat(m.limits()).isEqualTo(EnclaveLimits.DEFAULT);
    assertThat(m.hostAccess()).isEqualTo(HostAccess.NONE);
    assertThat(m.initialConfig()).isEqualTo(Bytes.empty());
    assertThat(m.entry()).contains("com.example.App");
  }

  @Test
  void fromJson_servicesWithoutEntry_isAccepted() throws Exception {
    Manifest m = Manifest.fromJson(Fixtures.utf8("""
        {"formatVersion":1,"name":"svc","services":[{"interface":"a.B","implementation":"a.C"}],
         "productId":0,"svn":0,"debug":false}"""));
    assertThat(m.entry()).isEmpty();
    assertThat(m.services()).containsExactly(new ServiceBinding("a.B", "a.C"));
  }

  @Test
  void fromJson_unknownVersion_isUnsupportedEvenWithUnknownFields() {
    assertRefused("{\"future\":true,\"formatVersion\":2,\"name\":\"x\"}",
        Reason.UNSUPPORTED_FORMAT_VERSION, "format version 2");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      unknown field          | {"formatVersion":1,"name":"demo","entry":"a.B","productId":1,"svn":2,"debug":false,"colour":"red"} | unknown field 'colour'
      unknown nested field   | {"formatVersion":1,"name":"demo","entry":"a.B","productId":1,"svn":2,"debug":false,"limits":{"heapMebibytes":256,"threads":4,"maxFrameBytes":65536,"maxNestingDepth":8,"cpus":2}} | unknown field 'limits.cpus'
      productId too big      | {"formatVersion":1,"name":"demo","entry":"a.B","productId":65536,"svn":2,"debug":false} | 'productId' must be 0 to 65535, got 65536
      productId negative     | {"formatVersion":1,"name":"demo","entry":"a.B","productId":-1,"svn":2,"debug":false} | 'productId' must be 0 to 65535, got -1
      svn too big            | {"formatVersion":1,"name":"demo","entry":"a.B","productId":1,"svn":70000,"debug":false} | 'svn' must be 0 to 65535, got 70000
      huge number            | {"formatVersion":1,"name":"demo","entry":"a.B","productId":1,"svn":123456789012345678901234567890,"debug":false} | 'svn' must be 0 to 65535
      threads zero           | {"formatVersion":1,"name":"demo","entry":"a.B","productId":1,"svn":2,"debug":false,"limits":{"heapMebibytes":256,"threads":0,"maxFrameBytes":65536,"maxNestingDepth":8}} | 'limits.threads' must be 1 to 4096, got 0
      frame too small        | {"formatVersion":1,"name":"demo","entry":"a.B","productId":1,"svn":2,"debug":false,"limits":{"heapMebibytes":256,"threads":1,"maxFrameBytes":10,"maxNestingDepth":8}} | 'limits.maxFrameBytes' must be 4096 to
      limit missing          | {"formatVersion":1,"name":"demo","entry":"a.B","productId":1,"svn":2,"debug":false,"limits":{"heapMebibytes":256}} | 'limits.threads' is missing
      float                  | {"formatVersion":1,"name":"demo","entry":"a.B","productId":1.5,"svn":2,"debug":false} | 'productId' must be an integer (no fraction or exponent), got the number 1.5
      string for number      | {"formatVersion":1,"name":"demo","entry":"a.B","productId":"1","svn":2,"debug":false} | 'productId' must be an integer, got a string
      wrong boolean          | {"formatVersion":1,"name":"demo","entry":"a.B","productId":1,"svn":2,"debug":"no"} | 'debug' must be a boolean
      missing svn            | {"formatVersion":1,"name":"demo","entry":"a.B","productId":1,"debug":false} | 'svn' is missing
      bad name               | {"formatVersion":1,"name":"Demo","entry":"a.B","productId":1,"svn":2,"debug":false} | 'name' is invalid
      bad entry              | {"formatVersion":1,"name":"demo","entry":"a..B","productId":1,"svn":2,"debug":false} | 'entry' is invalid
      neither entry nor svc  | {"formatVersion":1,"name":"demo","productId":1,"svn":2,"debug":false} | needs an entry
      duplicate key          | {"formatVersion":1,"name":"demo","name":"again","entry":"a.B","productId":1,"svn":2,"debug":false} | Duplicate field 'name'
      trailing content       | {"formatVersion":1,"name":"demo","entry":"a.B","productId":1,"svn":2,"debug":false} {} | content after the JSON object
      trailing garbage       | {"formatVersion":1,"name":"demo","entry":"a.B","productId":1,"svn":2,"debug":false}x | not valid JSON
      not an object          | [1,2] | must be a JSON object
      missing version        | {"name":"demo"} | 'formatVersion' is missing
      bad mode               | {"formatVersion":1,"name":"demo","entry":"a.B","productId":1,"svn":2,"debug":false,"hostAccess":{"files":[{"hostPath":"/a","enclavePath":"/b","mode":"rw"}]}} | 'hostAccess.files[0].mode' is invalid: unknown file mode 'rw'
      relative path          | {"formatVersion":1,"name":"demo","entry":"a.B","productId":1,"svn":2,"debug":false,"hostAccess":{"files":[{"hostPath":"a/../b","enclavePath":"/b","mode":"sealed"}]}} | 'hostAccess.files[0].hostPath' is invalid
      both network keys      | {"formatVersion":1,"name":"demo","entry":"a.B","productId":1,"svn":2,"debug":false,"hostAccess":{"network":[{"connect":"a:1","listen":2}]}} | must be the only key
      bad connect            | {"formatVersion":1,"name":"demo","entry":"a.B","productId":1,"svn":2,"debug":false,"hostAccess":{"network":[{"connect":"a:99999"}]}} | 'hostAccess.network[0].connect' is invalid
      bad listen             | {"formatVersion":1,"name":"demo","entry":"a.B","productId":1,"svn":2,"debug":false,"hostAccess":{"network":[{"listen":0}]}} | 'hostAccess.network[0].listen' must be 1 to 65535
      bad base64             | {"formatVersion":1,"name":"demo","entry":"a.B","productId":1,"svn":2,"debug":false,"initialConfig":"%%%"} | 'initialConfig' must be base64
      duplicate service      | {"formatVersion":1,"name":"demo","services":[{"interface":"a.B","implementation":"a.C"},{"interface":"a.B","implementation":"a.D"}],"productId":1,"svn":2,"debug":false} | listed more than once
      """)
  void fromJson_invalid_isRefusedNamingTheProblem(String name, String json, String message) {
    assertRefused(json, Reason.INVALID_MANIFEST, message);
  }

  @Test
  void fromJson_notUtf8_isRefused() {
    byte[] json = Fixtures.utf8(VALID.replace("demo", "d_mo"));
    json[VALID.indexOf("demo") + 1] = (byte) 0xC3;
    assertThatThrownBy(() -> Manifest.fromJson(json))
        .isInstanceOfSatisfying(InvalidBundleException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_MANIFEST));
  }

  @Test
  void builder_validatesEachSetterAtOnce() {
    Manifest.Builder b = Manifest.builder();
    assertThatThrownBy(() -> b.name("UPPER")).hasMessageContaining("name must match");
    assertThatThrownBy(() -> b.productId(65536)).hasMessageContaining("productId must be 0 to 65535");
    assertThatThrownBy(() -> b.svn(-1)).hasMessageContaining("svn must be 0 to 65535");
    assertThatThrownBy(() -> b.entry("1abc")).hasMessageContaining("entry must be a fully qualified");
    assertThatThrownBy(() -> b.initialConfig(Bytes.of(new byte[Manifest.MAX_INITIAL_CONFIG_BYTES + 1])))
        .hasMessageContaining("initialConfig");
    assertThatThrownBy(b::build).hasMessageContaining("name is required");
    assertThatThrownBy(() -> b.name("ok").build()).hasMessageContaining("needs an entry");
  }

  @Test
  void hostAccess_duplicateEnclavePath_isRefused() {
    assertThatThrownBy(() -> new HostAccess(List.of(
        new FileGrant("/a", "/x", FileGrant.Mode.READ_ONLY),
        new FileGrant("/b", "/x", FileGrant.Mode.READ_WRITE)), List.of()))
        .hasMessageContaining("/x is granted more than once");
  }

  @Test
  void connect_parse_handlesIpv6AndRefusesNonsense() {
    assertThat(NetworkGrant.Connect.parse("[::1]:443")).isEqualTo(new NetworkGrant.Connect("::1", 443));
    assertThat(new NetworkGrant.Connect("::1", 443).target()).isEqualTo("[::1]:443");
    assertThatThrownBy(() -> NetworkGrant.Connect.parse("::1:443")).hasMessageContaining("IPv6");
    assertThatThrownBy(() -> NetworkGrant.Connect.parse("host")).hasMessageContaining("host:port");
    assertThatThrownBy(() -> NetworkGrant.Connect.parse("bad_host!:1")).hasMessageContaining("host");
  }

  private static void assertRefused(String json, Reason reason, String message) {
    assertThatThrownBy(() -> Manifest.fromJson(Fixtures.utf8(json)))
        .isInstanceOfSatisfying(InvalidBundleException.class, e -> {
          assertThat(e.reason()).isEqualTo(reason);
          assertThat(e.getMessage()).startsWith("cella/manifest.json").contains(message);
        });
  }
}
