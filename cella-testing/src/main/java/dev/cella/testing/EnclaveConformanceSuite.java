package dev.cella.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.Enclave;
import dev.cella.EnclaveException;
import dev.cella.EnclaveOptions;
import dev.cella.EnclaveState;
import dev.cella.EnclaveStatus.Code;
import dev.cella.host.EnclaveManager;
import dev.cella.host.internal.HostEnclave;
import dev.cella.testing.apps.EchoApp;
import dev.cella.testing.apps.Ledger;
import dev.cella.testing.apps.LedgerCallbacks;
import dev.cella.testing.apps.LedgerImpl;
import dev.cella.testing.apps.Vault;
import dev.cella.testing.apps.VaultImpl;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every backend must have, run by each backend's test module through a subclass
 * that names the backend: lifecycle, state errors, concurrent calls, bad inputs. One suite for all
 * backends, so that they cannot drift apart.
 *
 * <pre>{@code
 * class SimConformanceTest extends EnclaveConformanceSuite {
 *   protected String backend() { return "sim"; }
 * }
 * }</pre>
 *
 * <p>A subclass for a backend that cannot run on this machine should skip with the backend's
 * reason (see {@link #assumeBackendAvailable}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class EnclaveConformanceSuite {
  @TempDir static Path bundles;
  private static Path echoBundle;
  private static Path ledgerBundle;
  private static Path vaultBundle;
  private static Path vaultBundleV2;
  private static Path vaultBundleOtherSigner;
  private static Path twoThreadBundle;

  protected EnclaveManager manager;

  /** The name of the backend under test. */
  protected abstract String backend();

  @BeforeAll
  static void buildBundles() throws Exception {
    echoBundle = TestBundles.builder("echo", EchoApp.class).config("configured").build(bundles);
    ledgerBundle = TestBundles.builder("ledger", EchoApp.class)
        .service(Ledger.class, LedgerImpl.class).build(bundles);
    vaultBundle = TestBundles.builder("vault", EchoApp.class).svn(1)
        .service(Vault.class, VaultImpl.class).build(bundles);
    // A later release of the same product: same signer and product id, higher SVN, other bytes.
    vaultBundleV2 = TestBundles.builder("vault-v2", EchoApp.class).svn(2).config("v2")
        .service(Vault.class, VaultImpl.class).build(bundles);
    vaultBundleOtherSigner = TestBundles.builder("vault-other", EchoApp.class).svn(1)
        .service(Vault.class, VaultImpl.class)
        .signedWith(dev.cella.bundle.BundleSigningKey.generate()).build(bundles);
    twoThreadBundle = TestBundles.builder("two-threads", EchoApp.class)
        .limits(new dev.cella.EnclaveLimits(64, 2, 1 << 20, 32)).build(bundles);
  }

  @BeforeEach
  void createManager() {
    manager = EnclaveManager.create();
    assumeBackendAvailable();
  }

  @AfterEach
  void closeManager() {
    if (manager != null) {
      manager.close();
    }
  }

  /** Skips the test, printing why, when the backend cannot run here. */
  protected void assumeBackendAvailable() {
    var info = manager.backend(backend());
    org.junit.jupiter.api.Assumptions.assumeTrue(info.isPresent(),
        "backend '" + backend() + "' is not on the class path");
    org.junit.jupiter.api.Assumptions.assumeTrue(info.get().isAvailable(),
        () -> "backend '" + backend() + "' is not available here: "
            + info.get().unavailabilityCause().orElse(""));
  }

  protected Enclave load(String name, Path bundle) {
    return manager.load(name, bundle, EnclaveOptions.builder().backend(backend()).build());
  }

  protected Enclave loadEcho(String name) {
    return load(name, echoBundle);
  }

  protected static Path echoBundle() {
    return echoBundle;
  }

  protected static byte[] utf8(String s) {
    return s.getBytes(UTF_8);
  }

  protected static String text(byte[] bytes) {
    return new String(bytes, UTF_8);
  }

  // ---- lifecycle ----

  @Test
  void load_run_finish_close_goesThroughEveryState() {
    Enclave enclave = loadEcho("lifecycle");
    assertThat(enclave.state()).isEqualTo(EnclaveState.READY);
    assertThat(enclave.backend().name()).isEqualTo(backend());
    assertThat(text(enclave.run(utf8("echo:hello")))).isEqualTo("hello");
    assertThat(text(enclave.run(utf8("count")))).isEqualTo("2");
    assertThat(text(enclave.finish(utf8("bye")))).isEqualTo("finished:2:bye");
    assertThat(enclave.state()).isEqualTo(EnclaveState.FINISHED);
    enclave.close();
    assertThat(enclave.state()).isEqualTo(EnclaveState.CLOSED);
    assertThat(manager.get("lifecycle")).isEmpty();
  }

  @Test
  void initialize_receivesTheManifestConfig_orTheOptionsOverride() {
    try (Enclave enclave = loadEcho("config")) {
      assertThat(text(enclave.run(utf8("config")))).isEqualTo("configured");
    }
    try (Enclave enclave = manager.load("config2", echoBundle,
        EnclaveOptions.builder().backend(backend()).config(utf8("override")).build())) {
      assertThat(text(enclave.run(utf8("config")))).isEqualTo("override");
    }
  }

  @Test
  void initialize_thatThrows_failsTheLoad_withTheApplicationsCode() {
    assertThatThrownBy(() -> manager.load("refused", echoBundle,
        EnclaveOptions.builder().backend(backend()).config(utf8("refuse")).build()))
        .isInstanceOfSatisfying(EnclaveException.class,
            e -> assertThat(e.code()).isEqualTo(Code.FAILED_PRECONDITION))
        .hasMessageContaining("configuration refused");
    assertThat(manager.get("refused")).isEmpty();
  }

  @Test
  void close_withoutFinish_finishesAndDestroys_andIsIdempotent() {
    Enclave enclave = loadEcho("closer");
    enclave.run(utf8("echo:x"));
    enclave.close();
    enclave.close();
    assertThat(enclave.state()).isEqualTo(EnclaveState.CLOSED);
  }

  @Test
  void managerClose_destroysEveryEnclave_andRefusesLaterLoads() {
    Enclave a = loadEcho("a");
    Enclave b = loadEcho("b");
    manager.close();
    assertThat(a.state()).isEqualTo(EnclaveState.CLOSED);
    assertThat(b.state()).isEqualTo(EnclaveState.CLOSED);
    assertThatThrownBy(() -> loadEcho("c")).isInstanceOfSatisfying(EnclaveException.class,
        e -> assertThat(e.code()).isEqualTo(Code.FAILED_PRECONDITION));
  }

  @Test
  void managerGet_findsLoadedEnclavesByName_andDestroyRemovesThem() {
    Enclave enclave = loadEcho("named");
    assertThat(manager.get("named")).containsSame(enclave);
    assertThat(manager.enclaves()).containsExactly(enclave);
    manager.destroy("named");
    assertThat(enclave.state()).isEqualTo(EnclaveState.CLOSED);
    assertThat(manager.get("named")).isEmpty();
  }

  // ---- state errors ----

  @Test
  void run_afterFinish_failsWithFailedPrecondition() {
    Enclave enclave = loadEcho("finished");
    enclave.finish(new byte[0]);
    assertCode(() -> enclave.run(utf8("echo:x")), Code.FAILED_PRECONDITION);
    assertCode(() -> enclave.finish(new byte[0]), Code.FAILED_PRECONDITION);
  }

  @Test
  void everyCall_afterClose_failsWithFailedPrecondition() {
    Enclave enclave = loadEcho("closed");
    enclave.close();
    assertCode(() -> enclave.run(utf8("echo:x")), Code.FAILED_PRECONDITION);
    assertCode(() -> enclave.finish(new byte[0]), Code.FAILED_PRECONDITION);
  }

  @Test
  void load_underATakenName_failsWithAlreadyExists() {
    loadEcho("taken");
    assertCode(() -> loadEcho("taken"), Code.ALREADY_EXISTS);
  }

  @Test
  void load_withAnInvalidName_failsWithInvalidArgument() {
    assertCode(() -> loadEcho("../escape"), Code.INVALID_ARGUMENT);
    assertCode(() -> loadEcho(""), Code.INVALID_ARGUMENT);
  }

  @Test
  void load_onAnUnknownBackend_failsWithNotFound() {
    assertCode(() -> manager.load("x", echoBundle,
        EnclaveOptions.builder().backend("no-such-backend").build()), Code.NOT_FOUND);
  }

  // ---- failures of the application ----

  @Test
  void enclaveException_crossesWithItsCodeAndMessage() {
    try (Enclave enclave = loadEcho("fails")) {
      assertThatThrownBy(() -> enclave.run(utf8("fail:PERMISSION_DENIED:not you")))
          .isInstanceOfSatisfying(EnclaveException.class,
              e -> assertThat(e.code()).isEqualTo(Code.PERMISSION_DENIED))
          .hasMessage("not you");
      assertThat(text(enclave.run(utf8("echo:still here")))).isEqualTo("still here");
    }
  }

  @Test
  void otherExceptions_arriveAsInternal_withTheClassNameOnly() {
    try (Enclave enclave = loadEcho("crashes")) {
      assertThatThrownBy(() -> enclave.run(utf8("crash:secret-in-message")))
          .isInstanceOfSatisfying(EnclaveException.class,
              e -> assertThat(e.code()).isEqualTo(Code.INTERNAL))
          .hasMessageContaining("java.lang.IllegalStateException")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("secret-in-message"))
          .satisfies(e -> assertThat(e.getCause()).isNull());
      assertThat(text(enclave.run(utf8("echo:ok")))).isEqualTo("ok");
    }
  }

  @Test
  void aNullOutput_isAnInternalError() {
    try (Enclave enclave = loadEcho("nulls")) {
      assertCode(() -> enclave.run(utf8("null")), Code.INTERNAL);
    }
  }

  // ---- bad input ----

  @Test
  void inputLargerThanTheFrameLimit_isRefused_andTheEnclaveStaysUsable() {
    try (Enclave enclave = loadEcho("big-in")) {
      assertCode(() -> enclave.run(new byte[(16 << 20) + 1]), Code.INVALID_ARGUMENT);
      assertThat(text(enclave.run(utf8("echo:fine")))).isEqualTo("fine");
    }
  }

  @Test
  void outputLargerThanTheFrameLimit_isRefused_andTheEnclaveStaysUsable() {
    try (Enclave enclave = loadEcho("big-out")) {
      assertCode(() -> enclave.run(utf8("big:" + (17 << 20))), Code.RESOURCE_EXHAUSTED);
      assertThat(enclave.run(utf8("big:1000"))).hasSize(1000);
    }
  }

  @Test
  void load_ofAMissingFile_failsWithInvalidArgument() {
    assertCode(() -> load("missing", bundles.resolve("no-such.cella")), Code.INVALID_ARGUMENT);
  }

  @Test
  void load_ofABundleWhoseEntryIsNotATrustedApplication_isRefusedClearly() throws Exception {
    Path bad = TestBundles.builder("not-an-app", dev.cella.testing.apps.NotAnApp.class)
        .build(bundles);
    assertThatThrownBy(() -> load("not-an-app", bad))
        .isInstanceOfSatisfying(EnclaveException.class,
            e -> assertThat(e.code()).isEqualTo(Code.FAILED_PRECONDITION))
        .hasMessageContaining("does not implement dev.cella.enclave.TrustedApplication");
  }

  @Test
  void load_ofACorruptBundle_isRefused() throws Exception {
    Path corrupt = bundles.resolve("corrupt.cella");
    java.nio.file.Files.write(corrupt, utf8("this is not a zip archive"));
    assertThatThrownBy(() -> load("corrupt", corrupt)).isInstanceOf(EnclaveException.class);
    assertThat(manager.get("corrupt")).isEmpty();
  }

  // ---- concurrency ----

  @Test
  void sixteenThreads_callOneEnclaveAtOnce_andEveryCallGetsItsOwnAnswer() throws Exception {
    int threads = 16;
    int callsPerThread = 500;
    try (Enclave enclave = loadEcho("concurrent")) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        results.add(pool.submit(() -> {
          start.await();
          int ok = 0;
          for (int i = 0; i < callsPerThread; i++) {
            String expected = id + "-" + i;
            if (text(enclave.run(utf8("echo:" + expected))).equals(expected)) {
              ok++;
            }
          }
          return ok;
        }));
      }
      start.countDown();
      int total = 0;
      for (Future<Integer> result : results) {
        total += result.get(60, TimeUnit.SECONDS);
      }
      pool.shutdownNow();
      assertThat(total).isEqualTo(threads * callsPerThread);
      assertThat(text(enclave.run(utf8("count")))).isEqualTo(Integer.toString(total + 1));
    }
  }

  @Test
  void sixtyFourThreads_forABoundedTime_makeNoErrors() throws Exception {
    int threads = 64;
    long runFor = TimeUnit.SECONDS.toNanos(3);
    try (Enclave enclave = loadLedger("load", new Callbacks())) {
      Ledger ledger = enclave.service(Ledger.class);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<long[]>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        results.add(pool.submit(() -> {
          start.await();
          long calls = 0;
          long errors = 0;
          long end = System.nanoTime() + runFor;
          while (System.nanoTime() < end && calls < 2_000_000) {
            try {
              boolean typed = (calls & 1) == 0;
              boolean right = typed
                  ? ledger.weigh(new Ledger.Entry("t" + id, calls, Optional.empty(), List.of()))
                      == calls
                  : text(enclave.run(utf8("echo:" + calls))).equals(Long.toString(calls));
              errors += right ? 0 : 1;
            } catch (RuntimeException e) {
              errors++;
            }
            calls++;
          }
          return new long[] {calls, errors};
        }));
      }
      start.countDown();
      long calls = 0;
      long errors = 0;
      for (Future<long[]> result : results) {
        long[] r = result.get(60, TimeUnit.SECONDS);
        calls += r[0];
        errors += r[1];
      }
      pool.shutdownNow();
      assertThat(errors).as("errors in %d calls", calls).isZero();
      assertThat(calls).isGreaterThan(threads);
    }
  }

  @Test
  void oneCallMoreThanTheManifestsThreads_failsWithResourceExhausted_andLaterCallsPass()
      throws Exception {
    Enclave enclave = load("two-threads", twoThreadBundle);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      // Sleeps long enough that both are inside together for a while, even on a loaded machine.
      Callable<byte[]> sleep = () -> enclave.run(utf8("sleep:4000"));
      List<Future<byte[]>> sleepers = new ArrayList<>(List.of(pool.submit(sleep),
          pool.submit(sleep)));
      EnclaveException refused = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (refused == null && System.nanoTime() < deadline
          && !(sleepers.get(0).isDone() && sleepers.get(1).isDone())) {
        for (int i = 0; i < sleepers.size(); i++) {
          // A probe is a call inside too: one that came in while the second sleeper was on its
          // way took that sleeper's place, which was refused. It goes again.
          if (refusedForThreads(sleepers.get(i))) {
            sleepers.set(i, pool.submit(sleep));
          }
        }
        try {
          enclave.run(utf8("echo:probe"));
          Thread.sleep(5);
        } catch (EnclaveException e) {
          refused = e;
        }
      }
      assertThat(refused).as("a third call while two sleep inside").isNotNull();
      assertThat(refused.code()).isEqualTo(Code.RESOURCE_EXHAUSTED);
      assertThat(refused.getMessage()).contains("limits.threads");
      for (Future<byte[]> sleeper : sleepers) {
        assertThat(text(sleeper.get(10, TimeUnit.SECONDS))).isEqualTo("slept");
      }
      assertThat(text(enclave.run(utf8("echo:after")))).isEqualTo("after");
    } finally {
      pool.shutdownNow();
      enclave.close();
    }
  }

  /** Whether {@code call} has ended refused for the manifest's thread limit. */
  private static boolean refusedForThreads(Future<byte[]> call) throws InterruptedException {
    if (!call.isDone()) {
      return false;
    }
    try {
      call.get();
      return false;
    } catch (ExecutionException e) {
      return e.getCause() instanceof EnclaveException enclave
          && enclave.code() == Code.RESOURCE_EXHAUSTED;
    }
  }

  @Test
  void finish_waitsForCallsInFlight_andLaterCallsAreRefused() throws Exception {
    Enclave enclave = loadEcho("draining");
    ExecutorService pool = Executors.newSingleThreadExecutor();
    Future<byte[]> slow = pool.submit(() -> enclave.run(utf8("sleep:500")));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (text(enclave.run(utf8("active"))).equals("0") && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    byte[] finished = enclave.finish(new byte[0]);
    // The enclave's own view: no run was in progress when its finish ran. (Whether the host's
    // future is done yet is a race the host's return path may lose by a few instructions.)
    assertThat(text(finished)).as("finish ran only after the call in flight")
        .startsWith("finished:");
    assertThat(text(slow.get(10, TimeUnit.SECONDS))).isEqualTo("slept");
    assertCode(() -> enclave.run(utf8("echo:late")), Code.FAILED_PRECONDITION);
    pool.shutdownNow();
    enclave.close();
  }

  // ---- typed services ----

  /** The host side of {@link LedgerCallbacks}: calls back into the enclave. */
  private static final class Callbacks implements LedgerCallbacks {
    final AtomicReference<Enclave> enclave = new AtomicReference<>();

    @Override
    public int descend(int depth) {
      return enclave.get().service(Ledger.class).descend(depth);
    }

    @Override
    public long currentTimeMillis() {
      return 1_234_567L;
    }
  }

  private Enclave loadLedger(String name, Callbacks callbacks) {
    Enclave enclave = manager.load(name, ledgerBundle, EnclaveOptions.builder().backend(backend())
        .hostService(LedgerCallbacks.class, callbacks).build());
    callbacks.enclave.set(enclave);
    return enclave;
  }

  @Test
  void typedCall_roundTripsRecordsCollectionsAndOptionals() throws Exception {
    try (Enclave enclave = loadLedger("typed", new Callbacks())) {
      Ledger ledger = enclave.service(Ledger.class);
      assertThat(ledger.post(new Ledger.Entry("alice", 500, Optional.of("salary"),
          List.of("in", "monthly")))).isEqualTo(500);
      assertThat(ledger.post(new Ledger.Entry("alice", -200, Optional.empty(), List.of())))
          .isEqualTo(300);
      assertThat(ledger.balances()).isEqualTo(Map.of("alice", 300L));
      Ledger.Page<Ledger.Entry> page = ledger.entries("alice");
      assertThat(page.total()).isEqualTo(2);
      assertThat(page.items().get(0).memo()).contains("salary");
      assertThat(page.items().get(0).tags()).containsExactly("in", "monthly");
      ledger.ping();
      assertThat(enclave.service(Ledger.class)).isSameAs(ledger);
    }
  }

  @Test
  void declaredException_crossesWithItsTypeAndMessage() {
    try (Enclave enclave = loadLedger("declared", new Callbacks())) {
      Ledger ledger = enclave.service(Ledger.class);
      assertThatThrownBy(() -> ledger.post(
          new Ledger.Entry("bob", -1, Optional.empty(), List.of())))
          .isInstanceOf(Ledger.InsufficientFundsException.class)
          .hasMessage("bob would be overdrawn");
    }
  }

  @Test
  void undeclaredException_arrivesAsInternal_withTheClassNameOnly() {
    try (Enclave enclave = loadLedger("undeclared", new Callbacks())) {
      assertThatThrownBy(() -> enclave.service(Ledger.class).explode("hunter2"))
          .isInstanceOfSatisfying(EnclaveException.class,
              e -> assertThat(e.code()).isEqualTo(Code.INTERNAL))
          .hasMessageContaining("java.lang.IllegalStateException")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
    }
  }

  @Test
  void hostService_isCalledFromTheEnclave() {
    try (Enclave enclave = loadLedger("host-call", new Callbacks())) {
      assertThat(enclave.service(Ledger.class).hostTime()).isEqualTo(1_234_567L);
    }
  }

  @Test
  void hostService_thatWasNotRegistered_failsInsideWithNotFound() {
    try (Enclave enclave = load("no-host-service", ledgerBundle)) {
      assertCode(() -> enclave.service(Ledger.class).hostTime(), Code.NOT_FOUND);
    }
  }

  @Test
  void nestedCalls_hostToEnclaveToHostAndBack_fromManyThreadsAtOnce() throws Exception {
    Callbacks callbacks = new Callbacks();
    try (Enclave enclave = loadLedger("nested", callbacks)) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        results.add(pool.submit(() -> {
          int sum = 0;
          for (int i = 0; i < 50; i++) {
            sum += enclave.service(Ledger.class).descend(6);
          }
          return sum;
        }));
      }
      for (Future<Integer> result : results) {
        assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(50 * 6);
      }
      pool.shutdownNow();
    }
  }

  @Test
  void service_theBundleDoesNotProvide_failsWithNotFound() {
    try (Enclave enclave = loadEcho("no-services")) {
      assertCode(() -> enclave.service(Ledger.class), Code.NOT_FOUND);
    }
  }

  @Test
  void service_ofAnInterfaceNotAnnotated_isRefused() {
    try (Enclave enclave = loadLedger("not-annotated", new Callbacks())) {
      assertCode(() -> enclave.service(Runnable.class), Code.INVALID_ARGUMENT);
    }
  }

  @Test
  void malformedFrames_failThatCall_withInvalidArgument_andTheEnclaveStaysUsable() {
    try (Enclave enclave = loadLedger("malformed", new Callbacks())) {
      HostEnclave raw = (HostEnclave) enclave;
      assertCode(() -> raw.call(new byte[] {1}), Code.INVALID_ARGUMENT);
      assertCode(() -> raw.call(new byte[] {9, 2}), Code.INVALID_ARGUMENT);
      assertCode(() -> raw.call(new byte[] {1, (byte) 0x7f}), Code.INVALID_ARGUMENT);
      // An invocation that claims a service name longer than the frame.
      assertCode(() -> raw.call(new byte[] {1, 4, 0x7f, 0, 0, 0, 'x'}), Code.INVALID_ARGUMENT);
      // A real method id with garbage arguments.
      enclave.service(Ledger.class).ping();
      assertThat(text(enclave.run(utf8("echo:alive")))).isEqualTo("alive");
    }
  }

  @Test
  void attest_returnsEvidence_andRefusesOversizedInputs() {
    try (Enclave enclave = loadEcho("attest")) {
      assertThat(enclave.attest(new byte[16], new byte[48])).isNotEmpty();
      assertCode(() -> enclave.attest(new byte[65], new byte[0]), Code.INVALID_ARGUMENT);
      assertCode(() -> enclave.attest(new byte[0], new byte[65]), Code.INVALID_ARGUMENT);
    }
  }

  // ---- sealing ----

  private Enclave loadVault(String name, Path bundle, Path storage) {
    return manager.load(name, bundle, EnclaveOptions.builder().backend(backend())
        .storageDirectory(storage).build());
  }

  @Test
  void sealedData_unsealsInTheNextInstance_ofTheSameBundle() {
    Path storage = bundles.resolve("storage-seal");
    byte[] blob;
    try (Enclave enclave = loadVault("seal-1", vaultBundle, storage)) {
      blob = enclave.service(Vault.class).seal("MEASUREMENT", utf8("secret"));
    }
    try (Enclave enclave = loadVault("seal-2", vaultBundle, storage)) {
      assertThat(text(enclave.service(Vault.class).unseal("MEASUREMENT", blob))).isEqualTo("secret");
    }
  }

  @Test
  void signerSealedData_unsealsInALaterVersion_butMeasurementSealedDataDoesNot() {
    Path storage = bundles.resolve("storage-upgrade");
    byte[] bySigner;
    byte[] byMeasurement;
    try (Enclave v1 = loadVault("upgrade-1", vaultBundle, storage)) {
      bySigner = v1.service(Vault.class).seal("SIGNER", utf8("carried over"));
      byMeasurement = v1.service(Vault.class).seal("MEASUREMENT", utf8("stays behind"));
    }
    try (Enclave v2 = loadVault("upgrade-2", vaultBundleV2, storage)) {
      Vault vault = v2.service(Vault.class);
      assertThat(text(vault.unseal("SIGNER", bySigner))).isEqualTo("carried over");
      assertCode(() -> vault.unseal("MEASUREMENT", byMeasurement), Code.PERMISSION_DENIED);
      byte[] newer = vault.seal("SIGNER", utf8("from v2"));
      try (Enclave v1 = loadVault("downgrade", vaultBundle, bundles.resolve("storage-down"))) {
        assertThatThrownBy(() -> v1.service(Vault.class).unseal("SIGNER", newer))
            .isInstanceOf(EnclaveException.class).hasMessageContaining("HIGHER_SVN");
      }
    }
  }

  @Test
  void sealedData_ofAnotherSigner_isRefused() {
    byte[] blob;
    try (Enclave enclave = loadVault("signer-a", vaultBundle, bundles.resolve("storage-a"))) {
      blob = enclave.service(Vault.class).seal("SIGNER", utf8("mine"));
    }
    try (Enclave other = loadVault("signer-b", vaultBundleOtherSigner, bundles.resolve("storage-b"))) {
      assertCode(() -> other.service(Vault.class).unseal("SIGNER", blob), Code.PERMISSION_DENIED);
    }
  }

  @Test
  void sealedFileSystem_survivesARestart_andTheHostHoldsNoPlaintext() throws Exception {
    Path storage = bundles.resolve("storage-fs");
    try (Enclave enclave = loadVault("fs-1", vaultBundle, storage)) {
      Vault vault = enclave.service(Vault.class);
      vault.put("greeting.txt", "plaintext-marker-4711");
      vault.put("other.txt", "second file");
      assertThat(vault.get("greeting.txt")).contains("plaintext-marker-4711");
    }
    try (Enclave enclave = loadVault("fs-2", vaultBundle, storage)) {
      Vault vault = enclave.service(Vault.class);
      assertThat(vault.get("greeting.txt")).contains("plaintext-marker-4711");
      assertThat(vault.names()).containsExactly("greeting.txt", "other.txt");
    }
    try (var files = java.nio.file.Files.walk(storage)) {
      for (Path file : files.filter(java.nio.file.Files::isRegularFile).toList()) {
        String content = new String(java.nio.file.Files.readAllBytes(file),
            java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(content).doesNotContain("plaintext-marker").doesNotContain("greeting");
        assertThat(file.getFileName().toString()).doesNotContain("greeting");
      }
    }
  }

  @Test
  void sealedFileSystem_rolledBackByTheHost_isRefused() throws Exception {
    Path storage = bundles.resolve("storage-rollback");
    Path saved = bundles.resolve("storage-rollback-copy");
    try (Enclave enclave = loadVault("rb-1", vaultBundle, storage)) {
      enclave.service(Vault.class).put("balance", "100");
    }
    copyTree(storage, saved);
    try (Enclave enclave = loadVault("rb-2", vaultBundle, storage)) {
      enclave.service(Vault.class).put("balance", "0");
    }
    deleteTree(storage);
    copyTree(saved, storage);
    try (Enclave enclave = loadVault("rb-3", vaultBundle, storage)) {
      assertThatThrownBy(() -> enclave.service(Vault.class).get("balance"))
          .isInstanceOfSatisfying(EnclaveException.class,
              e -> assertThat(e.code()).isEqualTo(Code.DATA_LOSS))
          .hasMessageContaining("ROLLED_BACK");
    }
  }

  private static void copyTree(Path from, Path to) throws java.io.IOException {
    try (var files = java.nio.file.Files.walk(from)) {
      for (Path p : files.toList()) {
        java.nio.file.Files.copy(p, to.resolve(from.relativize(p).toString()));
      }
    }
  }

  private static void deleteTree(Path root) throws java.io.IOException {
    try (var files = java.nio.file.Files.walk(root)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        java.nio.file.Files.delete(p);
      }
    }
  }

  protected static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call,
      Code code) {
    assertThatThrownBy(call).isInstanceOfSatisfying(EnclaveException.class,
        e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(code));
  }
}
