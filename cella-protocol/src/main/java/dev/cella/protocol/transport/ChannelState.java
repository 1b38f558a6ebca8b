package dev.cella.protocol.transport;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether one side's channel still works, and why not once it does not: the first reason given
 * stays, and whoever must stop waiting is told.
 *
 * <p>Thread-safe.
 */
final class ChannelState {
  private final String name;
  private final AtomicReference<String> failure = new AtomicReference<>();
  private final CountDownLatch failed = new CountDownLatch(1);
  private final List<Runnable> onFailure = new CopyOnWriteArrayList<>();

  ChannelState(String name) {
    this.name = name;
  }

  /** What the channel talks to, for messages. */
  String name() {
    return name;
  }

  /** Runs {@code hook} once the channel fails (at once if it has). */
  void onFailure(Runnable hook) {
    onFailure.add(hook);
    if (!isAlive()) {
      hook.run();
    }
  }

  /** Marks the channel failed for {@code reason}; the first reason stays. */
  void fail(String reason) {
    if (failure.compareAndSet(null, reason)) {
      failed.countDown();
      onFailure.forEach(Runnable::run);
    }
  }

  /** Fails the channel because reading or writing shared memory went wrong. */
  void broken(RuntimeException e) {
    fail(name + ": " + (e instanceof TransportException ? e.getMessage()
        : "the shared memory is gone (" + e.getClass().getSimpleName() + ")"));
  }

  boolean isAlive() {
    return failure.get() == null;
  }

  String reasonOrNull() {
    return failure.get();
  }

  /** Throws {@link #unavailable()} once the channel has failed. */
  void check() {
    if (failure.get() != null) {
      throw unavailable();
    }
  }

  TransportException unavailable() {
    String reason = failure.get();
    return new TransportException(reason != null ? reason : name + ": the channel failed");
  }

  String await() throws InterruptedException {
    failed.await();
    return failure.get();
  }

  boolean await(Duration timeout) throws InterruptedException {
    return failed.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }
}
