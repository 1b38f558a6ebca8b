package dev.cella.testing.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.cella.BackendInfo;
import dev.cella.Enclave;
import dev.cella.EnclaveState;
import dev.cella.SignerId;
import dev.cella.testing.TestBundles;
import dev.cella.testing.apps.EchoApp;
import dev.cella.testing.apps.Ledger;
import dev.cella.testing.apps.LedgerImpl;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.EventType;

/**
 * The {@link EnclaveTest} extension on the sim backend. Each case runs a nested {@code
 * @EnclaveTest} class with the JUnit test kit and checks what happened; the nested classes are
 * not run by Surefire on their own.
 */
class EnclaveTestExtensionTest {
  static final String DIR = "target/enclave-test";
  static final String BUNDLE = DIR + "/ledger.cella";
  static final String KEY = DIR + "/bundle-key.pem";

  /** What the nested classes saw, for the outer tests to check after the run. */
  static final List<Enclave> seen = new CopyOnWriteArrayList<>();
  static final List<Object> identities = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void buildBundle() throws Exception {
    Path dir = Files.createDirectories(Path.of(DIR));
    Path built = TestBundles.builder("ledger", EchoApp.class).svn(1)
        .service(Ledger.class, LedgerImpl.class).build(dir);
    assertThat(built).isEqualTo(Path.of(BUNDLE));
    TestBundles.sharedKey().writePem(Path.of(KEY), true);
  }

  private static EngineExecutionResults run(Class<?> testClass) {
    seen.clear();
    identities.clear();
    return EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass)).execute();
  }

  private static String failures(EngineExecutionResults results) {
    return results.allEvents().failed().stream()
        .map(e -> e.getTestDescriptor().getDisplayName() + ": "
            + e.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable)
                .map(Throwable::toString).orElse("?"))
        .toList().toString();
  }

  @EnclaveTest(bundle = BUNDLE)
  static class OnSim {
    @InjectEnclave Enclave field;
    @InjectEnclave Ledger ledger;

    @Test
    void run_reachesTheTrustedApplication(Enclave enclave) {
      seen.add(enclave);
      assertThat(new String(enclave.run("echo:hi".getBytes(StandardCharsets.UTF_8)),
          StandardCharsets.UTF_8)).isEqualTo("hi");
    }

    @Test
    void typedService_isInjectedAsParameterAndField(Ledger parameter, BackendInfo backend)
        throws Exception {
      assertThat(backend.name()).isEqualTo("sim");
      parameter.post(new Ledger.Entry("alice", 500, Optional.empty(), List.of()));
      assertThat(ledger.balances()).containsEntry("alice", 500L);
    }

    @Test
    void fieldAndParameter_areTheSameEnclave(Enclave enclave) {
      assertThat(field).isSameAs(enclave);
      assertThat(enclave.state()).isEqualTo(EnclaveState.READY);
    }
  }

  @Test
  void enclaveTest_onSim_injectsTheEnclaveAndItsServices_andClosesItAfter() {
    EngineExecutionResults results = run(OnSim.class);
    assertThat(results.testEvents().succeeded().count()).as(failures(results)).isEqualTo(3);
    assertThat(results.testEvents().failed().count()).isZero();
    assertThat(seen).hasSize(1);
    assertThat(seen.getFirst().state()).isEqualTo(EnclaveState.CLOSED);
    assertThat(results.containerEvents().started().stream()
        .map(e -> e.getTestDescriptor().getDisplayName())).contains("[sim]");
  }

  @EnclaveTest(bundle = BUNDLE, backends = {"sim", "warp"})
  static class OnSimAndWarp {
    @Test
    void runs(BackendInfo backend) {
      identities.add(backend.name());
    }
  }

  @Test
  void enclaveTest_unknownBackend_isSkippedWithTheReason_andTheOthersRun() {
    EngineExecutionResults results = run(OnSimAndWarp.class);
    assertThat(identities).containsExactly("sim");
    assertThat(results.testEvents().succeeded().count()).isEqualTo(1);
    List<Event> aborted = results.containerEvents().aborted().list();
    assertThat(aborted).hasSize(1);
    assertThat(aborted.getFirst().getTestDescriptor().getDisplayName()).isEqualTo("[warp]");
    assertThat(aborted.getFirst().getPayload(org.junit.platform.engine.TestExecutionResult.class)
        .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable).orElseThrow())
        .hasMessageContaining("backend 'warp' cannot run here")
        .hasMessageContaining("no backend named 'warp'");
    assertThat(results.allEvents().failed().count()).isZero();
  }

  @EnclaveTest(bundle = BUNDLE, insecureMockIdentity = @MockIdentity(svn = 3))
  static class WithMockIdentities {
    @InjectEnclave(insecureMockIdentity = @MockIdentity(svn = 4)) Enclave nextVersion;

    @Test
    void identities(Enclave classEnclave,
        @InjectEnclave(insecureMockIdentity = @MockIdentity(svn = 4)) Enclave sameAsField,
        @InjectEnclave(insecureMockIdentity = @MockIdentity(signer = "other")) Enclave otherSigner,
        @InjectEnclave(insecureMockIdentity = @MockIdentity(svn = 5, productId = 9, signingKey = KEY))
            Enclave ownKey) {
      assertThat(sameAsField).isSameAs(nextVersion);
      identities.add(Map.of(
          "class", classEnclave.identity(), "next", nextVersion.identity(),
          "other", otherSigner.identity(), "own", ownKey.identity()));
      Ledger ledger = ownKey.service(Ledger.class);
      assertThat(ledger.balances()).isEmpty();
    }
  }

  @Test
  void mockIdentity_resignsTheBundleWithOtherSvnAndSigner_andWarns() {
    List<LogRecord> warnings = new CopyOnWriteArrayList<>();
    Logger logger = Logger.getLogger("dev.cella.testing.junit.internal.MockIdentities");
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord record) {
        warnings.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    logger.addHandler(handler);
    EngineExecutionResults results;
    try {
      results = run(WithMockIdentities.class);
    } finally {
      logger.removeHandler(handler);
    }
    assertThat(results.testEvents().succeeded().count()).as(failures(results)).isEqualTo(1);
    @SuppressWarnings("unchecked")
    Map<String, dev.cella.EnclaveIdentity> ids = (Map<String, dev.cella.EnclaveIdentity>) identities.getFirst();
    SignerId original = TestBundles.sharedKey().signerId();
    assertThat(ids.get("class").svn()).isEqualTo(3);
    assertThat(ids.get("next").svn()).isEqualTo(4);
    assertThat(ids.get("other").svn()).isEqualTo(1);
    assertThat(ids.get("own").svn()).isEqualTo(5);
    assertThat(ids.get("own").productId()).isEqualTo(9);
    assertThat(ids.get("class").signer()).isNotEqualTo(original).isEqualTo(ids.get("next").signer());
    assertThat(ids.get("other").signer()).isNotEqualTo(original).isNotEqualTo(ids.get("class").signer());
    assertThat(ids.get("own").signer()).isEqualTo(original);
    assertThat(ids.get("class").measurement()).isNotEqualTo(ids.get("next").measurement());
    assertThat(warnings).isNotEmpty()
        .allMatch(r -> r.getLevel() == java.util.logging.Level.WARNING)
        .anyMatch(r -> r.getMessage().contains("INSECURE mock identity"));
  }

  @EnclaveTest(bundle = DIR + "/no-such.cella")
  static class MissingBundle {
    @Test
    void neverRuns() {
      identities.add("ran");
    }
  }

  @Test
  void enclaveTest_missingBundle_failsTheClassSayingWhereItLooked() {
    EngineExecutionResults results = run(MissingBundle.class);
    assertThat(identities).isEmpty();
    List<Event> failed = results.containerEvents().failed().list();
    assertThat(failed).hasSize(1);
    assertThat(failed.getFirst().getPayload(org.junit.platform.engine.TestExecutionResult.class)
        .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable).orElseThrow())
        .hasMessageContaining("no-such.cella").hasMessageContaining("mvn package");
    assertThat(results.allEvents().stream().map(Event::getType)).doesNotContain(EventType.SKIPPED);
  }
}
