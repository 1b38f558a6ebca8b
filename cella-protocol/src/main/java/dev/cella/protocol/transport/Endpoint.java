package dev.cella.protocol.transport;

import static dev.cella.protocol.transport.RingLayout.FIRST;
import static dev.cella.protocol.transport.RingLayout.KIND_ABORT;
import static dev.cella.protocol.transport.RingLayout.KIND_REQUEST;
import static dev.cella.protocol.transport.RingLayout.KIND_RESPONSE;
import static dev.cella.protocol.transport.RingLayout.LAST;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One side of a shared-memory channel: sends calls to the other side and serves the other side's
 * calls, many at once, over one ring each way. Both the host and the enclave runtime use it.
 *
 * <p><b>Calls.</b> {@link #call} writes a request with a fresh call id and waits for the response
 * with that id. While it waits, the other side may send requests nested inside the call (a host
 * call made while serving it); they are delivered to the waiting thread, which serves them itself
 * and goes on waiting, so host → enclave → host → enclave works to any depth from any number of
 * threads, on the same threads a direct call would use. Requests that are not nested in a call of
 * this side go to the executor — or, with {@linkplain Builder#inlineServer inline serving}, run on
 * the thread that read them.
 *
 * <p><b>Reading.</b> One thread at a time reads the incoming ring (it holds the <em>read
 * token</em>) and routes each message to its waiter. A waiting caller takes the token itself and
 * polls the ring for the builder's spin time, so a back-to-back call costs no system call and no
 * thread hand-off; then it gives the token back and sleeps: on a socket doorbell itself, so that
 * the answer's ring wakes it directly (one caller at a time), else parked until whoever routes its
 * answer unparks it (timed parks from 20 µs, doubling). The doorbell
 * thread blocks on the {@link Doorbell}, which the other side rings only when this side asked for
 * it (no reader polling), so an idle side uses no CPU.
 *
 * <p><b>Inline serving</b> (the enclave): the doorbell thread runs the requests it reads itself
 * and then polls for the next one, for an adaptive budget ({@link SpinBudget}: about twice the
 * recent gap between requests, from the spin time up to 1 ms), so that a loaded machine does not
 * settle into a doorbell per call. A monitor notices when it has been inside one request for a
 * tick (1 ms): it then makes another thread the doorbell thread, so a slow or blocking request
 * never stalls the others.
 *
 * <p><b>Failure.</b> Everything read from shared memory is checked ({@link RingReader}); a
 * violation, the other side going away, or {@link #fail} makes every pending and later call fail
 * with {@code UNAVAILABLE}.
 *
 * <pre>{@code
 * Endpoint host = Endpoint.builder(channel.hostRings(), doorbell, hostCalls::handle)
 *     .name("enclave 'signer'").maxMessageBytes(limit).build();
 * host.start();
 * byte[] response = host.call(requestFrame);
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class Endpoint implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Endpoint.class.getName());
  private static final ScopedValue<Serving> SERVING = ScopedValue.newInstance();
  private static final byte[] EMPTY = new byte[0];
  private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final long FIRST_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
  private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final int QUIET_TICKS = 50;
  private static final int MAX_ROUTED_PER_PUMP = 256;
  private static final long MAX_SPIN_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  /** Serves one request from the other side: takes its frame, returns the response frame. */
  @FunctionalInterface
  public interface Handler {
    byte[] handle(byte[] request);
  }

  /** The two rings of one side of a {@link SharedChannel}: the one it reads, the one it writes. */
  public static final class Rings {
    final RingReader reader;
    final RingWriter writer;

    Rings(RingReader reader, RingWriter writer) {
      this.reader = reader;
      this.writer = writer;
    }
  }

  /** The request a thread is serving, so that calls it makes are sent as nested in it. */
  private record Serving(Endpoint endpoint, long callId) {}

  private final String name;
  private final RingReader reader;
  private final RingWriter writer;
  private final Doorbell doorbell;
  private final Handler handler;
  private final Executor executor;
  private final boolean inline;
  private final long callSpinNanos;
  private final SpinBudget serverSpin;
  private final int maxMessageBytes;
  private final MessageAssembler assembler;
  private final ConcurrentHashMap<Long, Waiter> waiters = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final AtomicReference<Thread> token = new AtomicReference<>();
  private final ReentrantLock writeLock = new ReentrantLock();
  private final AtomicReference<String> failure = new AtomicReference<>();
  private final CountDownLatch failed = new CountDownLatch(1);
  private volatile Server server;
  private volatile Thread monitor;
  private volatile boolean monitorSleeping;

  private Endpoint(Builder b) {
    this.name = b.name;
    this.reader = b.rings.reader;
    this.writer = b.rings.writer;
    this.doorbell = b.doorbell;
    this.handler = b.handler;
    this.executor = b.executor != null ? b.executor : Executors.newVirtualThreadPerTaskExecutor();
    this.inline = b.inline;
    this.callSpinNanos = b.spin.toNanos();
    this.serverSpin = new SpinBudget(b.spin.toNanos(), MAX_SPIN_NANOS);
    this.maxMessageBytes = b.maxMessageBytes;
    this.assembler = new MessageAssembler(b.maxMessageBytes);
  }

  /** A builder for the endpoint that reads and writes {@code rings}. */
  public static Builder builder(Rings rings, Doorbell doorbell, Handler handler) {
    return new Builder(rings, doorbell, handler);
  }

  /** Starts the doorbell thread (and, when serving inline, its monitor). Call once. */
  public void start() {
    Server first = new Server();
    server = first;
    first.start();
    if (inline) {
      Thread m = Thread.ofPlatform().daemon().name("cella-monitor " + name).unstarted(this::monitorLoop);
      monitor = m;
      m.start();
    }
  }

  /**
   * Sends {@code request} and waits for its response, serving whatever the other side nests
   * inside the call meanwhile.
   *
   * @throws EnclaveException {@code UNAVAILABLE} once the channel has failed; {@code
   *     INVALID_ARGUMENT} for a request over the message limit; {@code INTERNAL} when the other
   *     side could not answer it
   */
  public byte[] call(byte[] request) {
    checkAlive();
    if (request.length > maxMessageBytes) {
      throw new EnclaveException(Code.INVALID_ARGUMENT, "a message of " + request.length
          + " bytes is larger than the channel's limit of " + maxMessageBytes + " bytes");
    }
    Waiter me = new Waiter(ids.incrementAndGet(), Thread.currentThread());
    waiters.put(me.id, me);
    boolean holding = tryAcquire();
    try {
      send(KIND_REQUEST, me.id, parentId(), request);
      long spinStart = System.nanoTime();
      long parkNanos = FIRST_PARK_NANOS;
      while (true) {
        Message mail = me.poll();
        if (mail != null) {
          if (holding) {
            release();
            holding = false;
          }
          if (!mail.isRequest()) {
            return result(mail);
          }
          serve(mail);
          spinStart = System.nanoTime();
          continue;
        }
        checkAlive();
        long spun = System.nanoTime() - spinStart;
        if (spun < callSpinNanos) {
          if (!holding) {
            holding = tryAcquire();
          }
          if (holding) {
            safePump(me, false);
          }
          if (!me.hasMail()) {
            SpinBudget.pause(spun);
          }
        } else if (holding) {
          release();
          holding = false;
        } else if (sleepOnDoorbell(me, parkNanos)) {
          // This thread swallowed the ring, so it must look at the ring (or leave that to the
          // token's holder, who looks before it lets go).
          holding = tryAcquire();
          if (holding) {
            safePump(me, false);
          }
          spinStart = System.nanoTime();
        } else {
          parkNanos = Math.min(PARK_NANOS, parkNanos * 2);
        }
      }
    } finally {
      if (holding) {
        release();
      }
      waiters.remove(me.id);
    }
  }

  /**
   * Sleeps until the answer can be there: on the doorbell itself when this thread may (one
   * caller at a time, and only on a socket doorbell), else parked until whoever routes its mail
   * wakes it.
   *
   * @return whether the doorbell rang (so the ring is worth polling again)
   */
  private boolean sleepOnDoorbell(Waiter me, long parkNanos) {
    Doorbell.Sleeper sleeper = doorbell.trySleeper();
    if (sleeper == null) {
      me.park(parkNanos);
      return false;
    }
    try {
      if (!me.sleep(sleeper, PARK_NANOS)) {
        fail(name + ": the other side closed the channel");
      }
      return true;
    } catch (IOException | RuntimeException e) {
      fail(name + ": the doorbell failed (" + e.getMessage() + ")");
      return false;
    } finally {
      sleeper.release();
    }
  }

  /** Whether the channel still works. */
  public boolean isAlive() {
    return failure.get() == null;
  }

  /** Why the channel failed, or null while it works. */
  public String failureOrNull() {
    return failure.get();
  }

  /** Marks the channel failed for {@code reason} (the first reason stays) and wakes every waiter. */
  public void fail(String reason) {
    if (failure.compareAndSet(null, Objects.requireNonNull(reason, "reason"))) {
      failed.countDown();
      waiters.values().forEach(Waiter::interruptWait);
      Thread m = monitor;
      if (m != null) {
        LockSupport.unpark(m);
      }
    }
  }

  /** Blocks until the channel fails; returns why. */
  public String awaitFailure() throws InterruptedException {
    failed.await();
    return failure.get();
  }

  /** Blocks up to {@code timeout} until the channel fails; returns whether it has. */
  public boolean awaitFailure(Duration timeout) throws InterruptedException {
    return failed.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Fails the channel as closed. The caller closes the doorbell and the shared memory. */
  @Override
  public void close() {
    fail(name + ": the channel is closed");
  }

  // ---- reading ----

  private boolean tryAcquire() {
    if (token.get() == null && token.compareAndSet(null, Thread.currentThread())) {
      reader.cancelWake();
      return true;
    }
    return false;
  }

  private boolean holdsToken() {
    return token.get() == Thread.currentThread();
  }

  /**
   * Gives the read token back. A message published after the last look is then either seen
   * here (and routed) or rung for, so the doorbell thread picks it up.
   */
  private void release() {
    while (true) {
      reader.requestWake();
      token.set(null);
      if (!reader.hasData() || !tryAcquire()) {
        return;
      }
      safePump(null, false);
    }
  }

  /**
   * Routes incoming messages until the ring is empty, one arrives for {@code me}, or — when
   * {@code takeJob} — a request that is nested in no call arrives, which is returned. The caller
   * holds the read token.
   */
  private Message pump(Waiter me, boolean takeJob) {
    for (int i = 0; i < MAX_ROUTED_PER_PUMP; i++) {
      if (!reader.poll(assembler)) {
        return null;
      }
      Message message = assembler.takeCompleted();
      if (message == null) {
        continue;
      }
      if (message.isRequest()) {
        Waiter parent = message.parentId() == 0 ? null : waiters.get(message.parentId());
        if (parent != null) {
          parent.offerRequest(message);
          if (parent == me) {
            return null;
          }
        } else if (takeJob) {
          return message;
        } else {
          dispatch(message);
        }
      } else {
        Waiter waiter = waiters.get(message.callId());
        if (waiter != null) {
          waiter.offerResponse(message);
          if (waiter == me) {
            return null;
          }
        }
        // Else an answer to no call of ours (late, duplicated or forged): dropped.
      }
    }
    return null;
  }

  /** {@link #pump} for threads that must not throw: a violation fails the channel. */
  private Message safePump(Waiter me, boolean takeJob) {
    try {
      return pump(me, takeJob);
    } catch (RuntimeException e) {
      fail(name + ": " + describe(e));
      return null;
    }
  }

  private void dispatch(Message request) {
    try {
      executor.execute(() -> serve(request));
    } catch (RejectedExecutionException e) {
      fail(name + ": cannot serve a request: " + e.getMessage());
    }
  }

  // ---- serving ----

  private void serve(Message request) {
    byte kind = KIND_RESPONSE;
    byte[] response;
    try {
      response = ScopedValue.where(SERVING, new Serving(this, request.callId()))
          .call(() -> handler.handle(request.payload()));
      if (response == null || response.length > maxMessageBytes) {
        kind = KIND_ABORT;
        response = EMPTY;
      }
    } catch (Throwable t) {
      LOG.log(System.Logger.Level.DEBUG, "{0}: a request handler threw {1}", name,
          t.getClass().getName());
      kind = KIND_ABORT;
      response = EMPTY;
    }
    try {
      send(kind, request.callId(), 0, response);
    } catch (EnclaveException e) {
      // The channel failed: nobody is left to answer.
    }
  }

  private long parentId() {
    if (SERVING.isBound()) {
      Serving serving = SERVING.get();
      if (serving.endpoint() == this) {
        return serving.callId();
      }
    }
    return 0;
  }

  private byte[] result(Message response) {
    if (response.kind() == KIND_ABORT) {
      throw new EnclaveException(Code.INTERNAL, name + ": the other side could not answer the call");
    }
    return response.payload();
  }

  // ---- writing ----

  private void send(byte kind, long callId, long parentId, byte[] payload) {
    lockForWriting();
    try {
      int total = payload.length;
      int offset = 0;
      do {
        int length = Math.min(writer.maxChunk(), total - offset);
        byte flags = (byte) ((offset == 0 ? FIRST : 0) | (offset + length == total ? LAST : 0));
        int round = 0;
        while (!writer.tryWrite(kind, flags, callId, parentId, total, payload, offset, length)) {
          checkAlive();
          if (holdsToken()) {
            pump(null, false);
          }
          round = pause(round);
        }
        offset += length;
        if (writer.takeWakeRequest()) {
          ring();
        }
      } while (offset < total);
    } catch (TransportException e) {
      fail(name + ": " + e.getMessage());
      throw e;
    } catch (IllegalStateException e) {
      fail(name + ": " + describe(e));
      throw unavailable();
    } finally {
      writeLock.unlock();
    }
  }

  /** A reader must keep reading while it waits to write, or two full rings could deadlock. */
  private void lockForWriting() {
    if (!holdsToken()) {
      writeLock.lock();
      return;
    }
    int round = 0;
    while (!writeLock.tryLock()) {
      checkAlive();
      pump(null, false);
      round = pause(round);
    }
  }

  private void ring() {
    try {
      doorbell.ring();
    } catch (IOException e) {
      fail(name + ": the other side is gone (" + e.getMessage() + ")");
      throw unavailable();
    }
  }

  private static int pause(int round) {
    if (round < 100) {
      Thread.onSpinWait();
    } else if (round < 200) {
      Thread.yield();
    } else {
      LockSupport.parkNanos(Math.min(1_000_000L, 1_000L << Math.min(10, (round - 200) / 16)));
    }
    return round + 1;
  }

  private void checkAlive() {
    if (failure.get() != null) {
      throw unavailable();
    }
  }

  private TransportException unavailable() {
    String reason = failure.get();
    return new TransportException(reason != null ? reason : name + ": the channel failed");
  }

  private static String describe(RuntimeException e) {
    return e instanceof TransportException ? e.getMessage()
        : "the shared memory is gone (" + e.getClass().getSimpleName() + ")";
  }

  // ---- the doorbell thread ----

  /** A thread that owns the doorbell; with inline serving, also runs the requests it reads. */
  private final class Server {
    static final int IDLE = 0;
    static final int BUSY = 1;
    static final int DEMOTED = 2;

    final AtomicInteger state = new AtomicInteger(IDLE);
    volatile long jobs;
    /** When this thread last finished a request, for the spin budget; 0 before the first. */
    private long lastJobEnd;

    void start() {
      Thread.ofPlatform().daemon().name("cella-doorbell " + name).start(this::run);
    }

    private void run() {
      try {
        boolean first = true;
        while (isAlive()) {
          if (!first && !doorbell.await()) {
            fail(name + ": the other side closed the channel");
            return;
          }
          first = false;
          if (!serveWhileHolding()) {
            return;
          }
        }
      } catch (IOException e) {
        fail(name + ": the doorbell failed (" + e.getMessage() + ")");
      } catch (RuntimeException e) {
        fail(name + ": " + describe(e));
      }
    }

    /** Reads (and, inline, serves) until the ring stays quiet. False once demoted. */
    private boolean serveWhileHolding() {
      if (!tryAcquire()) {
        return true;
      }
      long idleSince = System.nanoTime();
      long budget = serverSpin.nanos();
      while (isAlive()) {
        Message job = pump(null, inline);
        if (job != null) {
          if (inline && lastJobEnd != 0) {
            serverSpin.record(System.nanoTime() - lastJobEnd);
          }
          release();
          if (!runInline(job)) {
            return false;
          }
          if (!tryAcquire()) {
            return true;
          }
          idleSince = System.nanoTime();
          lastJobEnd = idleSince;
          budget = serverSpin.nanos();
          continue;
        }
        long spun = System.nanoTime() - idleSince;
        if (inline && spun < budget) {
          SpinBudget.pause(spun);
        } else {
          break;
        }
      }
      release();
      return true;
    }

    private boolean runInline(Message job) {
      jobs = jobs + 1;
      state.set(BUSY);
      if (monitorSleeping) {
        LockSupport.unpark(monitor);
      }
      serve(job);
      return state.compareAndSet(BUSY, IDLE);
    }
  }

  /** Makes a new doorbell thread when the current one has been inside one request for a tick. */
  private void monitorLoop() {
    Server last = null;
    long lastJobs = -1;
    int quiet = 0;
    while (isAlive()) {
      if (quiet >= QUIET_TICKS) {
        monitorSleeping = true;
        if (server.state.get() != Server.BUSY && isAlive()) {
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
        if (current.state.get() == Server.BUSY
            && current.state.compareAndSet(Server.BUSY, Server.DEMOTED)) {
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

  /**
   * Builds an {@link Endpoint}. Not thread-safe.
   */
  public static final class Builder {
    private final Rings rings;
    private final Doorbell doorbell;
    private final Handler handler;
    private String name = "channel";
    private Executor executor;
    private boolean inline;
    private Duration spin = Duration.ofNanos(50_000);
    private int maxMessageBytes = 16 << 20;

    private Builder(Rings rings, Doorbell doorbell, Handler handler) {
      this.rings = Objects.requireNonNull(rings, "rings");
      this.doorbell = Objects.requireNonNull(doorbell, "doorbell");
      this.handler = Objects.requireNonNull(handler, "handler");
    }

    /** What the endpoint talks to, for messages and thread names. */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** Runs requests that are not nested in a call of this side (default: virtual threads). */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** Whether the doorbell thread runs the requests it reads itself (the enclave side). */
    public Builder inlineServer(boolean inline) {
      this.inline = inline;
      return this;
    }

    /** How long a waiting thread polls the ring before it parks (the floor of {@link SpinBudget}). */
    public Builder spin(Duration spin) {
      if (spin.isNegative() || spin.compareTo(Duration.ofMillis(10)) > 0) {
        throw new IllegalArgumentException("spin must be 0 to 10 ms, got " + spin);
      }
      this.spin = spin;
      return this;
    }

    /** The largest message either side may send; a larger incoming one breaks the channel. */
    public Builder maxMessageBytes(int maxMessageBytes) {
      if (maxMessageBytes < 0) {
        throw new IllegalArgumentException("maxMessageBytes must not be negative");
      }
      this.maxMessageBytes = maxMessageBytes;
      return this;
    }

    public Endpoint build() {
      return new Endpoint(this);
    }
  }
}
