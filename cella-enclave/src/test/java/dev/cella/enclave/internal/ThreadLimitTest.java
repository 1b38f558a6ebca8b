package dev.cella.enclave.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ThreadLimitTest {

  @Test
  void oneCallMoreThanTheLimit_isRefusedWithResourceExhausted_andAFreedPlaceIsReused()
      throws Exception {
    ThreadLimit limit = new ThreadLimit(2);
    CountDownLatch inside = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<String> a = pool.submit(() -> limit.enter(() -> hold(inside, release)));
      Future<String> b = pool.submit(() -> limit.enter(() -> hold(inside, release)));
      assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
      assertThatThrownBy(() -> limit.enter(() -> "third"))
          .isInstanceOfSatisfying(EnclaveException.class,
              e -> assertThat(e.code()).isEqualTo(Code.RESOURCE_EXHAUSTED))
          .hasMessageContaining("limits.threads");
      release.countDown();
      assertThat(a.get(10, TimeUnit.SECONDS)).isEqualTo("held");
      assertThat(b.get(10, TimeUnit.SECONDS)).isEqualTo("held");
      assertThat(limit.enter(() -> "after")).isEqualTo("after");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aCallNestedInACallInside_countsOnce_evenAtTheLimit() {
    ThreadLimit limit = new ThreadLimit(1);
    String nested = limit.enter(() -> limit.enter(() -> limit.enter(() -> "deep")));
    assertThat(nested).isEqualTo("deep");
  }

  @Test
  void aCallThatThrows_givesItsPlaceBack() {
    ThreadLimit limit = new ThreadLimit(1);
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> limit.enter(() -> {
        throw new IllegalStateException("boom");
      })).isInstanceOf(IllegalStateException.class);
    }
    assertThat(limit.enter(() -> "still one place")).isEqualTo("still one place");
  }

  private static String hold(CountDownLatch inside, CountDownLatch release) {
    inside.countDown();
    try {
      release.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "held";
  }
}
