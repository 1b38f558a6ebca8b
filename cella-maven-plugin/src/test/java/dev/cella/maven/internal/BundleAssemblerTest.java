package dev.cella.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.bundle.Manifest;
import dev.cella.bundle.ServiceBinding;
import dev.cella.bundle.UnsignedBundle;
import dev.cella.maven.Fixtures;
import dev.cella.maven.fixtures.Opaque;
import dev.cella.maven.fixtures.OpaqueImpl;
import dev.cella.maven.fixtures.Sums;
import dev.cella.maven.fixtures.SumsImpl;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleAssemblerTest {
  @TempDir Path dir;

  private UnsignedBundle assemble(Class<?> iface, Class<?> impl) throws Exception {
    return assemble(iface, impl, System.currentTimeMillis());
  }

  private UnsignedBundle assemble(Class<?> iface, Class<?> impl, long jarTime) throws Exception {
    Manifest manifest = Manifest.builder().name("sums")
        .addService(new ServiceBinding(iface.getName(), impl.getName())).build();
    Path app = Fixtures.packageJar(Sums.class, dir.resolve("app.jar"), jarTime);
    return BundleAssembler.assemble(manifest, new BundleAssembler.Jar("app-1.0.jar", app), List.of(),
        Fixtures.runtime(dir.resolve("runtime")));
  }

  @Test
  void assemble_withSupportedService_givesTheProjectJarCanonicalAndTheRuntime() throws Exception {
    UnsignedBundle bundle = assemble(Sums.class, SumsImpl.class);
    assertThat(bundle.libraries()).containsKey("app-1.0.jar");
    assertThat(bundle.libraries().get("app-1.0.jar"))
        .isEqualTo(CanonicalJar.rewrite(java.nio.file.Files.readAllBytes(dir.resolve("app.jar"))));
    assertThat(bundle.libraries().keySet()).anyMatch(n -> n.startsWith("cella-enclave"));
  }

  @Test
  void assemble_ofProjectJarsBuiltAtOtherTimes_givesTheSameMeasurement() throws Exception {
    byte[] first = null;
    UnsignedBundle a = assemble(Sums.class, SumsImpl.class, 1_600_000_000_000L);
    first = java.nio.file.Files.readAllBytes(dir.resolve("app.jar"));
    UnsignedBundle b = assemble(Sums.class, SumsImpl.class, 1_700_000_000_000L);
    assertThat(java.nio.file.Files.readAllBytes(dir.resolve("app.jar"))).isNotEqualTo(first);
    assertThat(a.measurement()).isEqualTo(b.measurement());
  }

  @Test
  void assemble_serviceWithUnsupportedType_isRefusedNamingMethodAndType() {
    assertThatThrownBy(() -> assemble(Opaque.class, OpaqueImpl.class))
        .isInstanceOfSatisfying(EnclaveException.class,
            e -> assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT))
        .hasMessageContaining("Opaque.open(File)").hasMessageContaining("java.io.File");
  }

  @Test
  void assemble_implementationOfAnotherInterface_isRefused() {
    assertThatThrownBy(() -> assemble(Sums.class, OpaqueImpl.class))
        .isInstanceOf(EnclaveException.class).hasMessageContaining("does not implement");
  }
}
