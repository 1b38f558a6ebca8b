package dev.cella.backend.sim;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cella.Enclave;
import dev.cella.EnclaveOptions;
import dev.cella.SecurityLevel;
import dev.cella.host.EnclaveManager;
import dev.cella.testing.TestBundles;
import dev.cella.testing.apps.EchoApp;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the sim backend's class loader lets the enclave see. */
class SimIsolationTest {
  @TempDir static Path folder;
  private static EnclaveManager manager;
  private static Enclave enclave;

  @BeforeAll
  static void load() throws Exception {
    Path bundle = TestBundles.builder("isolation", EchoApp.class).build(folder);
    manager = EnclaveManager.create();
    enclave = manager.load("isolation", bundle, EnclaveOptions.builder().backend("sim").build());
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  private static String run(String command) {
    return new String(enclave.run(command.getBytes(UTF_8)), UTF_8);
  }

  @Test
  void enclave_cannotLoadAHostClass() {
    // On the host's class path (this very test), never in the bundle.
    assertThat(run("load:" + SimIsolationTest.class.getName())).isEqualTo("invisible");
    assertThat(run("load:org.junit.jupiter.api.Test")).isEqualTo("invisible");
    assertThat(run("load:dev.cella.host.EnclaveManager")).isEqualTo("invisible");
  }

  @Test
  void enclave_seesTheJdk() {
    assertThat(run("load:java.util.concurrent.ConcurrentHashMap")).isEqualTo("visible");
    assertThat(run("load:java.sql.Connection")).isEqualTo("visible");
  }

  @Test
  void aClassInBothHostAndBundle_resolvesToTheBundlesCopyInside() {
    // EchoApp is on the host's class path too; inside, it is the bundle's copy.
    assertThat(EchoApp.class.getClassLoader().getName()).isNotEqualTo("cella-enclave:isolation");
    assertThat(run("loader")).isEqualTo("cella-enclave:isolation");
  }

  @Test
  void sim_saysItProtectsNothing() {
    assertThat(enclave.backend().securityLevel()).isEqualTo(SecurityLevel.NONE);
    assertThat(enclave.backend().doesNotProtectAgainst()).anyMatch(s -> s.contains("anything the host does"));
  }
}
