package dev.cella.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cella.Enclave;
import dev.cella.EnclaveOptions;
import dev.cella.testing.channelapp.PeerApp;
import dev.cella.host.EnclaveManager;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Enclave-to-enclave channels on every backend, run by each backend's test module through a
 * subclass that names the backend: mutual RA-TLS through the host's router, local attestation
 * against the platform's root, and the router's errors.
 *
 * <pre>{@code
 * class SimChannelTest extends ChannelConformanceSuite {
 *   protected String backend() { return "sim"; }
 * }
 * }</pre>
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class ChannelConformanceSuite {
  @TempDir static Path bundles;
  private static Path alice;
  private static Path bob;
  private static final ExecutorService THREADS = Executors.newVirtualThreadPerTaskExecutor();
  private EnclaveManager manager;

  @BeforeAll
  static void build() throws Exception {
    alice = TestBundles.builder("alice", PeerApp.class).productId(1).build(bundles);
    bob = TestBundles.builder("bob", PeerApp.class).productId(2).build(bundles);
  }

  @AfterAll
  static void stop() {
    THREADS.shutdownNow();
  }

  /** The name of the backend under test. */
  protected abstract String backend();

  @BeforeEach
  void manager() {
    manager = EnclaveManager.create();
    var info = manager.backend(backend());
    org.junit.jupiter.api.Assumptions.assumeTrue(info.isPresent(),
        "backend '" + backend() + "' is not on the class path");
    org.junit.jupiter.api.Assumptions.assumeTrue(info.get().isAvailable(),
        () -> "backend '" + backend() + "' is not available here: "
            + info.get().unavailabilityCause().orElse(""));
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private Enclave load(String name, Path bundle) {
    return manager.load(name, bundle, EnclaveOptions.builder().backend(backend()).build());
  }

  private static String run(Enclave enclave, String command) {
    return new String(enclave.run(command.getBytes(UTF_8)), UTF_8);
  }

  private static CompletableFuture<String> runLater(Enclave enclave, String command) {
    return CompletableFuture.supplyAsync(() -> run(enclave, command), THREADS);
  }

  @Test
  void connect_toAnAcceptingPeer_bothAttestEachOtherAndExchangeMessages() throws Exception {
    Enclave a = load("alice", alice);
    Enclave b = load("bob", bob);
    CompletableFuture<String> accepted = runLater(b, "accept 1 10000");

    String answer = run(a, "connect bob 2 10000 hello");

    assertThat(answer).isEqualTo("echo hello from product 2");
    assertThat(accepted.get(20, TimeUnit.SECONDS)).isEqualTo("accepted alice product 1 closed");
  }

  @Test
  void connect_peerOfAnotherProduct_isRefusedByTheConnectorAndTheAcceptorSeesTheFailure()
      throws Exception {
    Enclave a = load("alice", alice);
    Enclave b = load("bob", bob);
    CompletableFuture<String> accepted = runLater(b, "accept 1 10000");

    String answer = run(a, "connect bob 99 10000 hello");

    assertThat(answer).startsWith("refused EVIDENCE_REFUSED").contains("product");
    assertThat(accepted.get(20, TimeUnit.SECONDS)).startsWith("error ");
  }

  @Test
  void accept_connectorOfAnotherProduct_isRefusedByTheAcceptor() throws Exception {
    Enclave a = load("alice", alice);
    Enclave b = load("bob", bob);
    CompletableFuture<String> accepted = runLater(b, "accept 7 10000");

    String answer = run(a, "connect bob 2 10000 hello");

    assertThat(accepted.get(20, TimeUnit.SECONDS)).startsWith("refused EVIDENCE_REFUSED");
    assertThat(answer).startsWith("error ");
  }

  @Test
  void connect_toAnEnclaveThatIsNotLoaded_failsNotFound() {
    Enclave a = load("alice", alice);

    assertThat(run(a, "connect nobody 2 1000 hello"))
        .isEqualTo("error NOT_FOUND no enclave named 'nobody' is loaded in this manager");
  }

  @Test
  void connect_toAnEnclaveThatNeverAccepts_failsDeadlineExceeded() {
    Enclave a = load("alice", alice);
    load("bob", bob);

    assertThat(run(a, "connect bob 2 300 hello"))
        .startsWith("error DEADLINE_EXCEEDED enclave 'bob' did not accept");
  }

  @Test
  void accept_withNobodyConnecting_failsDeadlineExceeded() {
    Enclave b = load("bob", bob);

    assertThat(run(b, "accept 1 200")).startsWith("error DEADLINE_EXCEEDED no enclave connected");
  }

  @Test
  void connect_toAnEnclaveThatClosesWhileWaiting_failsUnavailable() throws Exception {
    Enclave a = load("alice", alice);
    Enclave b = load("bob", bob);
    CompletableFuture<String> connecting = runLater(a, "connect bob 2 20000 hello");
    Thread.sleep(1500); // the connect must be waiting (generous: the machine may be loaded)

    b.close();

    assertThat(connecting.get(20, TimeUnit.SECONDS))
        .startsWith("error UNAVAILABLE enclave 'bob' closed before accepting");
  }
}
