package dev.cella.backend.process;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cella.Enclave;
import dev.cella.EnclaveOptions;
import dev.cella.backend.process.apps.ProbeApp;
import dev.cella.host.EnclaveManager;
import dev.cella.testing.TestBundles;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What enclave code can reach from inside the sandbox: nothing of the host but the JDK. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SandboxTest {
  @TempDir static Path folder;
  private static EnclaveManager manager;
  private static Enclave enclave;

  @BeforeAll
  static void load() throws Exception {
    manager = EnclaveManager.create();
    var info = manager.backend("process");
    assumeTrue(info.isPresent() && info.get().isAvailable(),
        () -> "the process backend is not available here: "
            + info.flatMap(i -> i.unavailabilityCause()).orElse("not found"));
    Path bundle = TestBundles.builder("probe", ProbeApp.class).build(folder);
    enclave = manager.load("probe", bundle, EnclaveOptions.builder().backend("process").build());
  }

  @AfterAll
  static void close() {
    if (manager != null) {
      manager.close();
    }
  }

  private static String run(String command) {
    return new String(enclave.run(command.getBytes(UTF_8)), UTF_8);
  }

  @Test
  void connectingToTheHostsLoopback_fails_whileTheHostCanConnect() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String target = "127.0.0.1:" + server.getLocalPort();
      try (java.net.Socket control = new java.net.Socket("127.0.0.1", server.getLocalPort())) {
        assertThat(control.isConnected()).isTrue();
      }
      assertThat(run("connect:" + target)).startsWith("failed:");
      assertThat(run("connect:1.1.1.1:443")).startsWith("failed:");
    }
  }

  @Test
  void theHostsDoorbellSocket_acceptsNoOtherConnection() {
    assertThat(run("unix:/cella/doorbell")).startsWith("failed:");
  }

  @Test
  void theOnlyNetworkInterface_isItsOwnLoopback() {
    assertThat(run("interfaces")).matches("lo:(up|down)");
  }

  @Test
  void hostFiles_areInvisible_butTheJdkIsReadable() throws Exception {
    assertThat(run("read:/etc/passwd")).isEqualTo("failed:java.nio.file.NoSuchFileException");
    Path hostFile = Files.writeString(folder.resolve("host-secret.txt"), "secret");
    assertThat(run("read:" + hostFile)).isEqualTo("failed:java.nio.file.NoSuchFileException");
    Path release = Path.of(System.getProperty("java.home")).toRealPath().resolve("release");
    assertThat(run("read:" + release)).isEqualTo("read " + Files.size(release) + " bytes");
  }

  @Test
  void writing_worksInItsTmp_only() {
    assertThat(run("write:/tmp/scratch")).isEqualTo("written");
    assertThat(run("write:/scratch")).startsWith("failed:");
    assertThat(run("write:/cella/lib/extra.jar")).startsWith("failed:");
    assertThat(run("write:/cella/bundle.cella")).startsWith("failed:");
    assertThat(run("write:/proc/scratch")).startsWith("failed:");
    assertThat(run("write:" + System.getProperty("java.home") + "/scratch")).startsWith("failed:");
    assertThat(folder.resolve("scratch")).doesNotExist();
  }

  @Test
  void theRoot_holdsNothingOfTheHost_butTheJdkAndItsLibraries() throws Exception {
    Set<String> allowed = new HashSet<>(Set.of("cella", "dev", "proc", "tmp"));
    Path home = Path.of(System.getProperty("java.home")).toRealPath();
    SandboxMounts mounts = new SandboxMounts().expose(home);
    for (Path library : SystemLibraries.of(home, home.resolve("bin/java"))) {
      mounts.expose(library);
    }
    List<String> args = mounts.arguments();
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals("--symlink") || args.get(i).equals("--ro-bind")) {
        allowed.add(Path.of(args.get(i + 2)).getName(0).toString());
      }
    }
    Set<String> root = Set.of(run("list:/").split(","));
    assertThat(root).isSubsetOf(allowed).contains("cella", "proc", "tmp")
        .doesNotContain("etc", "home", "root", "var", "work", "run", "sys", "boot", "mnt", "srv");
    assertThat(run("list:/cella")).contains("bundle.cella", "lib");
    assertThat(Arrays.asList(run("list:/cella/lib").split(","))).allMatch(n -> n.endsWith(".jar"));
  }

  @Test
  void otherProcesses_areInvisible_andCannotBeSignalled() throws Exception {
    String processes = run("processes");
    assertThat(processes.split(",")).hasSizeLessThanOrEqualTo(2);
    long host = ProcessHandle.current().pid();
    assertThat(run("kill:" + host + ":0")).isEqualTo("ESRCH");
    // Signals to the sandbox's init from inside are dropped; the enclave lives on.
    run("kill:1:9");
    assertThat(run("echo:alive")).isEqualTo("alive");
    assertThat(ProcessHandle.of(host)).isPresent();
  }

  @Test
  void theProcess_isNonDumpable_hasNoCapabilities_andNoEnvironment() {
    assertThat(run("dumpable")).isEqualTo("0");
    assertThat(run("status:CapEff")).isEqualTo("CapEff:\t0000000000000000");
    assertThat(run("status:CapPrm")).isEqualTo("CapPrm:\t0000000000000000");
    // No exec inside can regain a capability.
    assertThat(run("status:NoNewPrivs")).isEqualTo("NoNewPrivs:\t1");
    assertThat(System.getenv()).containsKey("CELLA_HOME");
    assertThat(run("env")).isEqualTo("LANG,PWD");
    assertThat(run("hostname")).isEqualTo("enclave");
  }
}
