package dev.cella.host.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.BackendInfo;
import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.PlatformKind;
import dev.cella.SecurityLevel;
import dev.cella.host.EnclaveManager;
import dev.cella.spi.Backend;
import dev.cella.spi.EnclaveConnection;
import dev.cella.spi.LaunchRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackendsTest {

  /** A backend that counts how often it is asked to describe itself (its costly probe). */
  private static class Counting implements Backend {
    final String name;
    final Supplier<BackendInfo> describe;
    final AtomicInteger described = new AtomicInteger();

    Counting(String name, Supplier<BackendInfo> describe) {
      this.name = name;
      this.describe = describe;
    }

    Counting(String name) {
      this(name, () -> describing(name, null));
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public BackendInfo info() {
      described.incrementAndGet();
      return describe.get();
    }

    @Override
    public EnclaveConnection launch(LaunchRequest request) {
      throw new UnsupportedOperationException("not launched in these tests");
    }
  }

  /** Asserts that {@code require(name)} fails with {@code code}; more checks may follow. */
  private static AbstractThrowableAssert<?, ? extends Throwable> assertRefused(Backends backends,
      String name, Code code) {
    return assertThatThrownBy(() -> backends.require(name)).isInstanceOfSatisfying(
        EnclaveException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  private static BackendInfo describing(String name, String unavailableBecause) {
    return new BackendInfo(name, PlatformKind.SIM, SecurityLevel.NONE, "a test backend",
        List.of(), List.of("everything"), Optional.ofNullable(unavailableBecause));
  }

  @Test
  void discovery_asksOnlyForNames_andDescribesEachBackendOnceWhenFirstWanted() {
    Counting a = new Counting("a");
    Counting b = new Counting("b");

    Backends backends = Backends.of(List.of(a, b));
    assertThat(a.described).hasValue(0);
    assertThat(b.described).hasValue(0);

    assertThat(backends.require("a")).isSameAs(a);
    assertThat(backends.info("a")).map(BackendInfo::name).contains("a");
    assertThat(a.described).hasValue(1);
    assertThat(b.described).hasValue(0);

    assertThat(backends.infos()).extracting(BackendInfo::name).containsExactly("a", "b");
    assertThat(backends.infos()).hasSize(2);
    assertThat(a.described).hasValue(1);
    assertThat(b.described).hasValue(1);
  }

  @Test
  void aBackendThatFailsToDescribeItself_isUnavailable_andTheOthersStillWork() {
    Counting broken = new Counting("broken", () -> {
      throw new IllegalStateException("probe exploded");
    });
    Counting fine = new Counting("fine");

    Backends backends = Backends.of(List.of(broken, fine));

    assertRefused(backends, "broken", Code.UNAVAILABLE)
        .hasMessageContaining("backend 'broken' failed to describe itself");
    assertThat(backends.info("broken")).isEmpty();
    assertThat(backends.infos()).extracting(BackendInfo::name).containsExactly("fine");
    assertThat(backends.require("fine")).isSameAs(fine);
    assertThat(broken.described).hasValue(1);
  }

  @Test
  void aBackendWhoseDescriptionNamesAnotherBackend_isLeftOut() {
    Counting liar = new Counting("vm", () -> describing("sim", null));

    Backends backends = Backends.of(List.of(liar));

    assertThat(backends.info("vm")).isEmpty();
    assertThat(backends.info("sim")).isEmpty();
    assertRefused(backends, "vm", Code.UNAVAILABLE);
  }

  @Test
  void anUnavailableBackend_isRefusedWithItsReason() {
    Counting gone = new Counting("gone", () -> describing("gone", "no KVM"));
    Backends backends = Backends.of(List.of(gone));

    assertRefused(backends, "gone", Code.UNAVAILABLE)
        .hasMessageContaining("backend 'gone' is not available here: no KVM");
  }

  @Test
  void anUnknownName_isNotFound_andTheMessageListsTheKnownOnes_withoutDescribingThem() {
    Counting a = new Counting("a");
    Counting b = new Counting("b");
    Backends backends = Backends.of(List.of(a, b));

    assertRefused(backends, "c", Code.NOT_FOUND)
        .hasMessageContaining("no backend named 'c' (known: a, b)");
    assertThat(a.described).hasValue(0);
    assertThat(b.described).hasValue(0);
  }

  @Test
  void ofTwoBackendsWithOneName_theFirstIsKept() {
    Counting first = new Counting("same");
    Counting second = new Counting("same");

    Backends backends = Backends.of(List.of(first, second));

    assertThat(backends.require("same")).isSameAs(first);
    assertThat(backends.infos()).hasSize(1);
    assertThat(second.described).hasValue(0);
  }

  @Test
  void aBackendThatCannotNameItself_isLeftOut() {
    Backend nameless = new Counting("x") {
      @Override
      public String name() {
        throw new IllegalStateException("no name");
      }
    };

    Backends backends = Backends.of(List.of(nameless, new Counting("y")));

    assertThat(backends.infos()).extracting(BackendInfo::name).containsExactly("y");
  }

  @Test
  void aSwitchedOffBackend_isRefusedWithoutBeingProbed() {
    String key = "cella.backend.off.disabled";
    System.setProperty(key, "true");
    try {
      Counting off = new Counting("off");
      Backends backends = Backends.of(List.of(off));

      assertRefused(backends, "off", Code.UNAVAILABLE)
          .hasMessage("backend 'off' is not available here: switched off by configuration"
              + " (cella.backend.off.disabled or CELLA_DISABLED_BACKENDS)");
      assertThat(off.described).hasValue(0);
      assertThat(backends.infos()).singleElement()
          .satisfies(info -> assertThat(info.unavailabilityCause()).isPresent());
      assertThat(off.described).hasValue(1);
    } finally {
      System.clearProperty(key);
    }
  }

  @Test
  void aBackendFirstWantedOnAnInterruptedThread_isProbedUninterrupted_andTheInterruptIsKept() {
    AtomicInteger probedInterrupted = new AtomicInteger();
    Counting touchy = new Counting("touchy", () -> {
      // As the process and vm probes do: an interrupted wait reports the backend unavailable,
      // and that answer is kept for the JVM.
      if (Thread.currentThread().isInterrupted()) {
        probedInterrupted.incrementAndGet();
        return describing("touchy", "interrupted while probing");
      }
      return describing("touchy", null);
    });
    Backends backends = Backends.of(List.of(touchy));

    Thread.currentThread().interrupt();
    boolean stillInterrupted;
    try {
      assertThat(backends.require("touchy")).isSameAs(touchy);
    } finally {
      stillInterrupted = Thread.interrupted();
    }

    assertThat(stillInterrupted).isTrue();
    assertThat(probedInterrupted).hasValue(0);
  }

  @Test
  void manyThreadsAskingAtOnce_describeABackendOnce() throws Exception {
    CountDownLatch inProbe = new CountDownLatch(1);
    Counting slow = new Counting("slow", () -> {
      inProbe.countDown();
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return describing("slow", null);
    });
    Backends backends = Backends.of(List.of(slow));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Optional<BackendInfo>>> asks = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        asks.add(pool.submit(() -> backends.info("slow")));
      }
      for (Future<Optional<BackendInfo>> ask : asks) {
        assertThat(ask.get(10, TimeUnit.SECONDS)).map(BackendInfo::name).contains("slow");
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(inProbe.getCount()).isZero();
    assertThat(slow.described).hasValue(1);
  }

  @Test
  void theManagerAskedForOneBackend_probesThatOneOnly(@TempDir Path home) {
    Counting wanted = new Counting("wanted");
    Counting other = new Counting("other");

    try (EnclaveManager manager = EnclaveManager.create(List.of(wanted, other), home)) {
      assertThat(manager.backend("wanted")).map(BackendInfo::name).contains("wanted");
      assertThat(manager.backend("missing")).isEmpty();
      assertThat(wanted.described).hasValue(1);
      assertThat(other.described).hasValue(0);

      assertThat(manager.backends()).extracting(BackendInfo::name)
          .containsExactly("wanted", "other");
      assertThat(other.described).hasValue(1);
    }
  }
}
