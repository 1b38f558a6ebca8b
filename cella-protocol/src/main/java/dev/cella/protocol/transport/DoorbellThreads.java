package dev.cella.protocol.transport;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * The thread that waits on the doorbell and reads the ring when no caller does — and, serving
 * inline (the enclave side), runs the requests it reads itself and then polls for the next one
 * for an adaptive budget ({@link SpinBudget}). A monitor notices when that thread has been inside
 * one request for a tick (1 ms) and makes another thread the doorbell thread, so that a slow or
 * blocking request never stalls the others; the old one ends with its request. The monitor ticks
 * only while requests come, and sleeps after 50 quiet ticks.
 *
 * <p>Thread-safe.
 */
final class DoorbellThreads {
  private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final int QUIET_TICKS = 50;
  private static final long MAX_SPIN_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final String name;
  private final Doorbell doorbell;
  private final Inbox inbox;
  private final ChannelState state;
  private final boolean inline;
  private final LongAdder sleeps;
  private final SpinBudget spin;
  private final Predicate<Message> serve;
  private volatile Server server;
  private volatile Thread monitor;
  private volatile boolean monitorSleeping;

  /**
   * @param inline whether to run requests inline (else every request goes to the inbox's
   *     dispatcher)
   * @param sleeps counts each time the doorbell thread goes to sleep on the doorbell
   * @param serve runs one request and sends its answer; returns whether the answer rang the
   *     other side's doorbell (then the other side was asleep, and this one polls on only while
   *     requests come back to back: {@link SpinBudget#afterRingNanos})
   */
  DoorbellThreads(String name, Doorbell doorbell, Inbox inbox, ChannelState state, boolean inline,
      LongAdder sleeps, long spinFloorNanos, Predicate<Message> serve) {
    this.name = name;
    this.doorbell = doorbell;
    this.inbox = inbox;
    this.state = state;
    this.inline = inline;
    this.sleeps = sleeps;
    this.spin = new SpinBudget(spinFloorNanos, MAX_SPIN_NANOS);
    this.serve = serve;
  }

  void start() {
    Server first = new Server();
    server = first;
    first.start();
    if (inline) {
      Thread m = Thread.ofPlatform().daemon().name("cella-monitor " + name)
          .unstarted(this::monitorLoop);
      monitor = m;
      state.onFailure(() -> LockSupport.unpark(m));
      m.start();
    }
  }

  /** A thread that owns the doorbell; serving inline, it also runs the requests it reads. */
  private final class Server {
    private static final VarHandle JOBS;

    static {
      try {
        JOBS = MethodHandles.lookup().findVarHandle(Server.class, "jobs", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    static final int IDLE = 0;
    static final int BUSY = 1;
    static final int DEMOTED = 2;

    final AtomicInteger mode = new AtomicInteger(IDLE);
    volatile long jobs;
    /** When this thread last finished a request, for the spin budget; 0 before the first. */
    private long lastJobEnd;
    /** Whether the last answer rang the other side, which was asleep then. */
    private boolean answerRang;

    void start() {
      Thread.ofPlatform().daemon().name("cella-doorbell " + name).start(this::run);
    }

    private void run() {
      try {
        boolean first = true;
        while (state.isAlive()) {
          if (!first) {
            sleeps.increment();
            if (!doorbell.await()) {
              state.fail(name + ": the other side closed the channel");
              return;
            }
          }
          first = false;
          if (!serveWhileHolding()) {
            return;
          }
        }
      } catch (IOException e) {
        state.fail(name + ": the doorbell failed (" + e.getMessage() + ")");
      } catch (RuntimeException e) {
        state.broken(e);
      }
    }

    /** Reads (and, inline, serves) until the ring stays quiet. False once demoted. */
    private boolean serveWhileHolding() {
      if (!inbox.tryAcquire()) {
        return true; // the holder looks at the ring before it lets go
      }
      long idleSince = System.nanoTime();
      long now = idleSince; // the last clock read: see SpinBudget.readsClock
      int polls = 0;
      long budget = spin.nanos();
      long read = inbox.position();
      while (state.isAlive()) {
        Message job = inbox.pump(null, inline);
        if (job != null) {
          if (lastJobEnd != 0) {
            // The gap as of the last clock read, at most a few rounds before the request came:
            // no clock read stands between the request and its serving.
            spin.record(now - lastJobEnd);
          }
          inbox.releaseForJob();
          if (!runInline(job)) {
            return false;
          }
          if (!inbox.tryAcquire()) {
            return true;
          }
          idleSince = System.nanoTime();
          now = idleSince;
          lastJobEnd = idleSince;
          budget = answerRang ? spin.afterRingNanos() : spin.nanos();
          read = inbox.position(); // the job's own records are not a request coming in
          continue;
        }
        if (inline && inbox.position() != read) {
          // Part of a large request came in: the other side is writing it now, so its next
          // records need no ring. Each record restarts the budget.
          read = inbox.position();
          idleSince = System.nanoTime();
          now = idleSince;
          budget = Math.max(budget, spin.nanos());
          continue;
        }
        if (SpinBudget.readsClock(++polls, now - idleSince)) {
          now = System.nanoTime();
        }
        long spun = now - idleSince;
        if (inline && spun < budget) {
          SpinBudget.pause(spun);
        } else {
          break;
        }
      }
      inbox.release();
      return true;
    }

    private boolean runInline(Message job) {
      // One fence for the three stores before a job (the token given back, the count, the mode):
      // mode's, which must come before the look at monitorSleeping (the monitor sets that, then
      // looks at the mode).
      JOBS.setRelease(this, jobs + 1);
      mode.set(BUSY);
      if (monitorSleeping) {
        LockSupport.unpark(monitor);
      }
      answerRang = serve.test(job);
      return mode.compareAndSet(BUSY, IDLE);
    }
  }

  private void monitorLoop() {
    Server last = null;
    long lastJobs = -1;
    int quiet = 0;
    while (state.isAlive()) {
      if (quiet >= QUIET_TICKS) {
        monitorSleeping = true;
        if (server.mode.get() != Server.BUSY && state.isAlive()) {
          LockSupport.park(this);
        }
        monitorSleeping = false;
        quiet = 0;
        last = null;
        continue;
      }
      LockSupport.parkNanos(this, TICK_NANOS);
      Server current = server;
      long jobs = current.jobs;
      if (current == last && jobs == lastJobs) {
        if (current.mode.get() == Server.BUSY
            && current.mode.compareAndSet(Server.BUSY, Server.DEMOTED)) {
          Server next = new Server();
          server = next;
          next.start();
          last = null;
          quiet = 0;
          continue;
        }
        quiet++;
      } else {
        quiet = 0;
      }
      last = current;
      lastJobs = jobs;
    }
  }
}
