package dev.cella.backend.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cella.EnclaveException;
import dev.cella.EnclaveIdentity;
import dev.cella.EnclaveStatus.Code;
import dev.cella.Measurement;
import dev.cella.backend.process.apps.ProbeApp;
import dev.cella.protocol.Frames;
import dev.cella.testing.TestBundles;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime re-measures its bundle and class path and starts only as the identity it measured:
 * any difference is refused at initialization, before the application or its keys exist, and the
 * process then exits.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MeasuredStartTest {
  @TempDir static Path bundles;
  @TempDir Path folder;
  private static Path bundle;
  private static Path otherBundle;

  @BeforeAll
  static void build() throws Exception {
    bundle = TestBundles.builder("measured", ProbeApp.class).build(bundles);
    otherBundle = TestBundles.builder("other", ProbeApp.class).svn(2).build(bundles);
  }

  @BeforeEach
  void requireBackend() {
    var info = new ProcessBackend().info();
    assumeTrue(info.isAvailable(), () -> info.unavailabilityCause().orElse(""));
  }

  @Test
  void theMeasuredIdentity_starts() throws Exception {
    try (RawEnclave enclave = RawEnclave.launch(bundle, folder)) {
      assertThat(Frames.result(enclave.initialize(enclave.identity))).isEmpty();
      assertThat(enclave.run("echo:started")).isEqualTo("started");
    }
  }

  @Test
  void anotherClaimedMeasurement_isRefused_andTheProcessExits() throws Exception {
    try (RawEnclave enclave = RawEnclave.launch(bundle, folder)) {
      byte[] other = enclave.identity.measurement().toByteArray();
      other[0] ^= 1;
      EnclaveIdentity claimed = new EnclaveIdentity(Measurement.of(other),
          enclave.identity.signer(), enclave.identity.productId(), enclave.identity.svn(),
          enclave.identity.debug(), enclave.identity.platform());
      assertRefused(enclave.initialize(claimed), "measured its bundle as");
      assertCode(() -> enclave.run("echo:x"), Code.FAILED_PRECONDITION, Code.UNAVAILABLE);
      assertThat(enclave.connection.sandboxProcess().waitFor(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void anotherClaimedSvn_isRefused() throws Exception {
    try (RawEnclave enclave = RawEnclave.launch(bundle, folder)) {
      EnclaveIdentity id = enclave.identity;
      EnclaveIdentity claimed = new EnclaveIdentity(id.measurement(), id.signer(),
          id.productId(), id.svn() + 1, id.debug(), id.platform());
      assertRefused(enclave.initialize(claimed), "measured its bundle as");
    }
  }

  @Test
  void anEntryClassOtherThanTheManifests_isRefused_evenFromTheSameBundle() throws Exception {
    try (RawEnclave enclave = RawEnclave.launch(bundle, folder)) {
      // A class the bundle does carry, named by a lying host instead of the manifest's entry.
      assertRefused(enclave.initialize(enclave.identity, "dev.cella.testing.apps.EchoApp"),
          "but the manifest's is");
    }
  }

  @Test
  void aJarThatIsNotTheBundles_isRefused() throws Exception {
    List<Path> jars = dev.cella.bundle.Bundle.open(bundle).writeLibraries(folder.resolve("lib"));
    Path app = jars.stream().filter(j -> j.getFileName().toString().startsWith("app-"))
        .findFirst().orElseThrow();
    Files.write(app, jar("dev/cella/Other.class", new byte[] {1, 2, 3}));
    try (RawEnclave enclave = RawEnclave.launch(bundle, jars)) {
      assertRefused(enclave.initialize(enclave.identity), app.getFileName() + " differs");
    }
  }

  @Test
  void aJarChangedInPlaceAfterThePlatformMeasured_isRefused() throws Exception {
    // Same name and size, one byte changed: what the runtime hashes is not what was signed.
    List<Path> jars = dev.cella.bundle.Bundle.open(bundle).writeLibraries(folder.resolve("lib"));
    Path app = jars.stream().filter(j -> j.getFileName().toString().startsWith("app-"))
        .findFirst().orElseThrow();
    byte[] content = Files.readAllBytes(app);
    content[content.length / 2] ^= 0x40;
    Files.write(app, content);
    try (RawEnclave enclave = RawEnclave.launch(bundle, jars)) {
      assertRefused(enclave.initialize(enclave.identity), app.getFileName()
          + " differs from the bundle's copy");
    }
  }

  @Test
  void anExtraJarOnTheClassPath_isRefused() throws Exception {
    List<Path> jars = new ArrayList<>(
        dev.cella.bundle.Bundle.open(bundle).writeLibraries(folder.resolve("lib")));
    jars.add(Files.write(folder.resolve("extra.jar"), jar("x/Extra.class", new byte[] {9})));
    try (RawEnclave enclave = RawEnclave.launch(bundle, jars)) {
      assertRefused(enclave.initialize(enclave.identity), "jars not in the bundle [extra.jar]");
    }
  }

  @Test
  void anotherBundleFileThanTheJars_isRefused() throws Exception {
    List<Path> jars = dev.cella.bundle.Bundle.open(bundle).writeLibraries(folder.resolve("lib"));
    try (RawEnclave enclave = RawEnclave.launch(otherBundle, jars)) {
      assertRefused(enclave.initialize(enclave.identity), "not the bundle's");
    }
  }

  private static void assertRefused(byte[] response, String why) {
    assertThatThrownBy(() -> Frames.result(response))
        .isInstanceOfSatisfying(EnclaveException.class,
            e -> assertThat(e.code()).isEqualTo(Code.PERMISSION_DENIED))
        .hasMessageContaining("refuses to start").hasMessageContaining(why);
  }

  private static void assertCode(Runnable call, Code... codes) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(EnclaveException.class,
        e -> assertThat(e.code()).isIn((Object[]) codes));
  }

  private static byte[] jar(String entry, byte[] content) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JarOutputStream jar = new JarOutputStream(out)) {
      jar.putNextEntry(new JarEntry(entry));
      jar.write(content);
      jar.closeEntry();
    }
    return out.toByteArray();
  }
}
