package dev.cella.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cella.Bytes;
import dev.cella.protocol.codec.Fixtures.AllTypes;
import dev.cella.protocol.codec.Fixtures.Mixed;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host and enclave derive their codecs from their own copies of an interface: equal copies agree
 * on ids and fingerprint and exchange values; any structural difference changes the fingerprint.
 */
class FingerprintTest {
  private static final String BASE = """
      package v;
      import java.util.*;
      public interface Store {
        record Item(String name, int count, Optional<Item> parent) {}
        enum Kind { A, B }
        Item get(String key, Kind kind) throws java.io.IOException;
        void put(List<Item> items);
      }
      """;

  @TempDir Path temp;
  private int builds;

  private ServiceCodec build(String source) {
    Path dir = temp.resolve("build" + builds++);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return ServiceCodec.of(InMemoryCompiler.compileAndLoad(dir, "v.Store", source),
        CodecLimits.DEFAULT);
  }

  private static Map<String, Long> ids(ServiceCodec codec) {
    return codec.methods().stream().collect(
        Collectors.toMap(MethodCodec::signature, MethodCodec::id, (a, b) -> a, TreeMap::new));
  }

  @Test
  void sameSourceInTwoClassLoaders_hasTheSameFingerprintAndIds() {
    ServiceCodec host = build(BASE);
    ServiceCodec enclave = build(BASE);
    assertThat(host.type()).isNotSameAs(enclave.type());
    assertThat(enclave.fingerprint()).isEqualTo(host.fingerprint());
    assertThat(enclave.fingerprint().length()).isEqualTo(32);
    assertThat(ids(enclave)).isEqualTo(ids(host));
  }

  @Test
  void reorderedMethodsAndEnumConstants_keepTheFingerprint() {
    String reordered = """
        package v;
        import java.util.*;
        public interface Store {
          void put(List<Item> items);
          enum Kind { B, A }
          Item get(String key, Kind kind) throws java.io.IOException;
          record Item(String name, int count, Optional<Item> parent) {}
        }
        """;
    assertThat(build(reordered).fingerprint()).isEqualTo(build(BASE).fingerprint());
  }

  @Test
  void everyStructuralChange_changesTheFingerprint() {
    Map<String, Function<String, String>> changes = Map.of(
        "component renamed", s -> s.replace("int count", "int amount"),
        "component type changed", s -> s.replace("int count", "long count"),
        "components reordered", s -> s.replace("String name, int count", "int count, String name"),
        "enum constant added", s -> s.replace("A, B", "A, B, C"),
        "declared exception removed", s -> s.replace(" throws java.io.IOException", ""),
        "parameter type changed", s -> s.replace("List<Item> items", "Set<Item> items"),
        "method added", s -> s.replace("void put", "int size();\n  void put"),
        "result made boxed", s -> s.replace("void put(List<Item> items);",
            "Integer put(List<Item> items);"));
    Bytes base = build(BASE).fingerprint();
    changes.forEach((what, change) -> {
      String changed = change.apply(BASE);
      assertThat(changed).as(what).isNotEqualTo(BASE);
      assertThat(build(changed).fingerprint()).as(what).isNotEqualTo(base);
    });
  }

  @Test
  void unchangedMethods_keepTheirIdsAcrossVersions() {
    ServiceCodec v1 = build(BASE);
    ServiceCodec v2 = build(BASE.replace("void put", "int size();\n  void put"));
    assertThat(ids(v2)).containsAllEntriesOf(ids(v1)).hasSize(ids(v1).size() + 1);
  }

  @Test
  void valuesCrossBetweenClassLoaders_andComeBackAsTheOtherLoadersRecords() throws Exception {
    URL testClasses = Fixtures.class.getProtectionDomain().getCodeSource().getLocation();
    try (URLClassLoader isolated =
        new URLClassLoader(new URL[] {testClasses}, ClassLoader.getPlatformClassLoader())) {
      Class<?> otherAllTypes = Class.forName(AllTypes.class.getName(), true, isolated);
      assertThat(otherAllTypes).isNotSameAs(AllTypes.class);
      ServiceCodec host = RoundTripPropertyTest.CODEC;
      ServiceCodec enclave = ServiceCodec.of(otherAllTypes, CodecLimits.DEFAULT);
      assertThat(enclave.fingerprint()).isEqualTo(host.fingerprint());
      assertThat(enclave.schema()).isEqualTo(host.schema());

      Mixed value = Values.mixed().sample();
      MethodCodec hostMixed = RoundTripPropertyTest.method("mixed");
      byte[] message = hostMixed.encodeArguments(new Object[] {value});
      MethodCodec enclaveMixed = enclave.method(hostMixed.id());
      Object received = enclaveMixed.decodeArguments(message)[0];
      assertThat(received.getClass().getClassLoader()).isSameAs(isolated);
      assertThat(Deep.difference(value, received)).isNull();
      assertThat(enclaveMixed.encodeArguments(new Object[] {received})).isEqualTo(message);
    }
  }
}
