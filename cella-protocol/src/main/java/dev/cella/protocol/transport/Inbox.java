package dev.cella.protocol.transport;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The ring one side reads, the right to read it (the <em>read token</em>: one thread at a time),
 * and the routing of what arrives: a response to the thread waiting for it, a request nested in a
 * call of this side to the thread making that call, any other request to the dispatcher (or, for
 * the inline server, back to the caller as a job).
 *
 * <p>The wake flag follows the token: a holder polls, so the other side need not ring; giving the
 * token back asks for rings again, then looks once more, so that a message published meanwhile is
 * either seen or rung for. Two exceptions: {@link #releaseForJob}, for a thread that will look
 * again; and the host's side, which asks for rings only while something of it waits for the
 * ring — a caller for its answer or a request nested in its call, or the rest of a message
 * half read — since the enclave rings the host's doorbell thread for every request nested in no
 * call anyway ({@link Outbox}). A caller that leaves with its answer thus leaves the flag as it
 * found it, and back-to-back calls never write its cache line, which the enclave reads after
 * each answer: set at every return and cleared at every call, it cost the caller a transfer of
 * the line from the enclave's core, waited for in the set's fence, per call.
 *
 * <p>Thread-safe; {@link #pump} only by the token's holder.
 */
final class Inbox {
  private static final int MAX_ROUTED_PER_PUMP = 256;

  private final RingReader reader;
  private final MessageAssembler assembler;
  private final ChannelState state;
  private final Consumer<Message> dispatcher;
  private final AtomicReference<Thread> token = new AtomicReference<>();
  private final ConcurrentHashMap<Long, Waiter> waiters = new ConcurrentHashMap<>();
  /**
   * How many waiters are registered, exactly: the map's own count adds up striped counters and
   * can read low while others register and leave, and {@link #release} must never miss one.
   */
  private final AtomicInteger registered = new AtomicInteger();
  private final StrayAnswers strays = new StrayAnswers();
  private final boolean wakeForWaitersOnly;

  /**
   * @param wakeForWaitersOnly the host's side: ask for rings only while a caller waits or a
   *     message is half read, the other side ringing for every request nested in no call
   */
  Inbox(RingReader reader, int maxMessageBytes, ChannelState state, Consumer<Message> dispatcher,
      boolean wakeForWaitersOnly) {
    this.reader = reader;
    this.assembler = new MessageAssembler(maxMessageBytes);
    this.state = state;
    this.dispatcher = dispatcher;
    this.wakeForWaitersOnly = wakeForWaitersOnly;
    state.onFailure(() -> waiters.values().forEach(Waiter::interruptWait));
  }

  /** Makes {@code waiter} one that others route to; once only (later calls do nothing). */
  void register(Waiter waiter) {
    if (waiter.registered) {
      return;
    }
    waiter.registered = true;
    waiters.put(waiter.id, waiter);
    registered.incrementAndGet();
    if (!state.isAlive()) {
      waiter.interruptWait();
    }
  }

  /** Undoes {@link #register}, if it was done: a caller that read its own answer never was. */
  void unregister(Waiter waiter) {
    if (waiter.registered) {
      waiter.registered = false;
      waiters.remove(waiter.id);
      registered.decrementAndGet();
    }
  }

  /**
   * Wakes one parked waiter other than {@code me}, so that it can take the callers' bell that
   * {@code me} gives up (rings for callers wake only a caller sleeping on that bell).
   */
  void wakeAnotherParked(Waiter me) {
    if (waiters.size() < 2) {
      return;
    }
    for (Waiter waiter : waiters.values()) {
      if (waiter != me && waiter.isParked()) {
        waiter.wake();
        return;
      }
    }
  }

  boolean tryAcquire() {
    if (token.get() == null && token.compareAndSet(null, Thread.currentThread())) {
      reader.cancelWake();
      return true;
    }
    return false;
  }

  boolean holdsToken() {
    return token.get() == Thread.currentThread();
  }

  /**
   * Gives the token back without asking the other side to ring: for the inline server, which
   * looks at the ring again when the job it is about to run is done (or, when the job takes a
   * tick, its successor does: {@link DoorbellThreads}). A request that comes meanwhile waits for
   * that look, as it would if it rang, where the doorbell's only sleeper is the thread running
   * the job (the backends' wiring). On a doorbell that this side's callers sleep on too (one
   * socket for all: {@link Doorbell#of(java.nio.channels.SocketChannel, java.io.OutputStream)}),
   * a message for such a caller waits for that look as well: at most the job, or a tick and the
   * successor's start. Any other thread that takes the token meanwhile asks for rings when it
   * gives it back. Leaving the wake flag alone keeps its cache line out of every call: written
   * here and cleared again after the job, it cost the server a cache-line transfer before each
   * job and the other side one after each request it sent, and an answer followed at once by
   * the next request could still find the flag set and ring needlessly.
   */
  void releaseForJob() {
    // No fence of its own: nothing is read after it that depends on the order (the job's
    // start stores with one, DoorbellThreads).
    token.setRelease(null);
  }

  /** Gives the token back, routing whatever arrived since the last look. */
  void release() {
    while (true) {
      boolean wake = !wakeForWaitersOnly || assembler.inProgress() || registered.get() != 0;
      if (wake) {
        reader.requestWake();
      }
      token.set(null);
      // A caller registers, then tries for the token; this side lets the token go, then looks at
      // the callers: one of the two sees the other, so a caller that came meanwhile either holds
      // the token now or is seen here, and the token is taken back to ask for rings for it.
      if (!wake && registered.get() != 0) {
        if (!tryAcquire()) {
          return; // whoever took it asks for rings when it lets go
        }
        continue;
      }
      if (!reader.hasData() || !tryAcquire()) {
        return;
      }
      safePump(null, false);
    }
  }

  /**
   * Routes incoming messages until the ring is empty, one arrives for {@code me}, or — when
   * {@code takeJob} — a request nested in no call arrives, which is returned. The caller holds
   * the token.
   *
   * @throws TransportException when the other side broke the ring
   */
  Message pump(Waiter me, boolean takeJob) {
    for (int i = 0; i < MAX_ROUTED_PER_PUMP; i++) {
      if (!reader.poll(assembler)) {
        return null;
      }
      Message message = assembler.takeCompleted();
      if (message == null) {
        continue;
      }
      if (message.isRequest()) {
        Waiter parent = message.parentId() == 0 ? null : waiter(message.parentId(), me);
        if (parent != null) {
          parent.offerRequest(message);
          if (parent == me) {
            return null;
          }
        } else if (takeJob) {
          return message;
        } else {
          dispatcher.accept(message);
        }
      } else {
        Waiter waiter = waiter(message.callId(), me);
        if (waiter == null || !waiter.offerResponse(message)) {
          // An answer to no call of ours, or a second one (late, duplicated or forged).
          strays.report(state.name(), message.callId());
        } else if (waiter == me) {
          return null;
        }
      }
    }
    return null;
  }

  /**
   * The waiter for call {@code id}: {@code me}, the reader, which need not be registered while it
   * holds the token, or a registered one.
   */
  private Waiter waiter(long id, Waiter me) {
    return me != null && me.id == id ? me : waiters.get(id);
  }

  /** How far the ring has been read: changes whenever a record was consumed. */
  long position() {
    return reader.position();
  }

  /** How many answers arrived that no caller waited for ({@link StrayAnswers}). */
  long strayAnswers() {
    return strays.count();
  }

  /** {@link #pump} for threads that must not throw: a broken ring fails the channel. */
  Message safePump(Waiter me, boolean takeJob) {
    try {
      return pump(me, takeJob);
    } catch (RuntimeException e) {
      state.broken(e);
      return null;
    }
  }
}
