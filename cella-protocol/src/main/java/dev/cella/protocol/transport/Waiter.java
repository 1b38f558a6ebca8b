package dev.cella.protocol.transport;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A thread waiting for the answer to one call: its mailbox takes the response and any request the
 * other side nests inside the call (which the waiting thread serves itself, as a direct call
 * would). The first response wins; a second is dropped.
 *
 * <p>Thread-safe: the ring's current reader delivers, the waiting thread takes.
 */
final class Waiter {
  private static final VarHandle RESPONSE;
  private static final VarHandle REQUESTS;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      RESPONSE = lookup.findVarHandle(Waiter.class, "response", Message.class);
      REQUESTS = lookup.findVarHandle(Waiter.class, "requests", ConcurrentLinkedQueue.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final long id;
  /** Whether it is among the inbox's waiters; read and written by the waiting thread only. */
  boolean registered;
  private final Thread thread;
  @SuppressWarnings("unused") // through RESPONSE
  private volatile Message response;
  @SuppressWarnings("unused") // through REQUESTS
  private volatile ConcurrentLinkedQueue<Message> requests;
  private volatile boolean parked;
  private volatile Doorbell.Sleeper sleeper;

  Waiter(long id, Thread thread) {
    this.id = id;
    this.thread = thread;
  }

  /** Hands the waiter its response; returns false, dropping it, if it already has one. */
  boolean offerResponse(Message message) {
    if (RESPONSE.compareAndSet(this, null, message)) {
      wake();
      return true;
    }
    return false;
  }

  void offerRequest(Message message) {
    ConcurrentLinkedQueue<Message> queue = requests;
    if (queue == null) {
      REQUESTS.compareAndSet(this, null, new ConcurrentLinkedQueue<Message>());
      queue = requests;
    }
    queue.add(message);
    wake();
  }

  /** A nested request, else the response, else null. */
  Message poll() {
    ConcurrentLinkedQueue<Message> queue = requests;
    if (queue != null) {
      Message nested = queue.poll();
      if (nested != null) {
        return nested;
      }
    }
    return response;
  }

  boolean hasMail() {
    ConcurrentLinkedQueue<Message> queue = requests;
    return response != null || (queue != null && !queue.isEmpty());
  }

  /** Parks the waiting thread until mail, a wake-up or the timeout. */
  void park(long nanos) {
    parked = true;
    try {
      if (!hasMail()) {
        LockSupport.parkNanos(this, nanos);
      }
    } finally {
      parked = false;
    }
  }

  /**
   * Sleeps on the doorbell until mail, a ring, a wake-up or the timeout.
   *
   * @return false when the other side is gone
   */
  boolean sleep(Doorbell.Sleeper on, long nanos) throws java.io.IOException {
    sleeper = on;
    parked = true;
    try {
      return hasMail() || on.sleep(nanos);
    } finally {
      parked = false;
      sleeper = null;
    }
  }

  boolean isParked() {
    return parked;
  }

  void wake() {
    if (parked) {
      wakeNow();
    }
  }

  /** Wakes the thread whatever it is doing (the channel failed). */
  void interruptWait() {
    wakeNow();
  }

  private void wakeNow() {
    Doorbell.Sleeper on = sleeper;
    if (on != null) {
      on.wake();
    }
    LockSupport.unpark(thread);
  }
}
