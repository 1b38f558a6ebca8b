package dev.cella.host.internal;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.protocol.FrameType;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * One enclave as the {@link ChannelRouter} sees it: how to deliver frames into it, and the
 * connections waiting for its accept (bounded).
 *
 * <p>Thread-safe.
 */
final class ChannelEndpoint {
  private final String name;
  private final UnaryOperator<byte[]> toEnclave;
  private final BlockingQueue<Pending> backlog;
  private volatile boolean closed;

  ChannelEndpoint(String name, UnaryOperator<byte[]> toEnclave, int backlog) {
    this.name = name;
    this.toEnclave = toEnclave;
    this.backlog = new ArrayBlockingQueue<>(backlog);
  }

  /** A connection from {@code from} waiting for this enclave's accept. */
  static final class Pending {
    private static final int WAITING = 0;
    private static final int TAKEN = 1;
    private static final int GAVE_UP = 2;

    private final String from;
    private final AtomicInteger state = new AtomicInteger(WAITING);
    private final CompletableFuture<Long> channel = new CompletableFuture<>();

    Pending(String from) {
      this.from = from;
    }

    String from() {
      return from;
    }

    /** Hands the connecting side its end; false if it gave up first. */
    boolean complete(long id) {
      if (!state.compareAndSet(WAITING, TAKEN)) {
        return false;
      }
      channel.complete(id);
      return true;
    }

    void fail(EnclaveException e) {
      if (state.compareAndSet(WAITING, GAVE_UP)) {
        channel.completeExceptionally(e);
      }
    }

    /** The connecting side's end id, once accepted. */
    long await(long timeout, TimeUnit unit, String target) throws InterruptedException {
      try {
        return channel.get(timeout, unit);
      } catch (TimeoutException e) {
        if (state.compareAndSet(WAITING, GAVE_UP)) {
          throw new EnclaveException(Code.DEADLINE_EXCEEDED, "enclave '" + target
              + "' did not accept the channel within " + unit.toMillis(timeout) + " ms");
        }
        return await(timeout, unit, target); // accepted at the last moment: complete() runs now
      } catch (ExecutionException e) {
        throw e.getCause() instanceof EnclaveException ee ? ee
            : new EnclaveException(Code.INTERNAL, "connecting failed: " + e.getCause());
      }
    }
  }

  Pending offer(String from) {
    Pending pending = new Pending(from);
    if (closed) {
      throw gone();
    }
    if (!backlog.offer(pending)) {
      throw new EnclaveException(Code.RESOURCE_EXHAUSTED, "enclave '" + name + "' already has "
          + backlog.size() + " connections waiting to be accepted");
    }
    if (closed) {
      pending.fail(gone());
    }
    return pending;
  }

  /** The next waiting connection, waiting until {@code deadlineNanos}. */
  Pending take(long deadlineNanos, int timeoutMillis) throws InterruptedException {
    while (true) {
      if (closed) {
        throw new EnclaveException(Code.UNAVAILABLE, "enclave '" + name + "' is closing");
      }
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        throw new EnclaveException(Code.DEADLINE_EXCEEDED,
            "no enclave connected within " + timeoutMillis + " ms");
      }
      // Short slices, so that a close wakes every waiting accept promptly.
      Pending next = backlog.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)),
          TimeUnit.NANOSECONDS);
      if (next != null && next.state.get() == Pending.WAITING) {
        return next;
      }
    }
  }

  /** Sends a frame of {@code type} into the enclave; throws its error. */
  void deliver(FrameType type, byte[] payload) {
    if (closed) {
      throw gone();
    }
    ChannelRouter.call(toEnclave, type, payload);
  }

  void close() {
    closed = true;
    Pending pending;
    while ((pending = backlog.poll()) != null) {
      pending.fail(gone());
    }
  }

  private EnclaveException gone() {
    return new EnclaveException(Code.UNAVAILABLE, "enclave '" + name
        + "' closed before accepting the channel");
  }
}
