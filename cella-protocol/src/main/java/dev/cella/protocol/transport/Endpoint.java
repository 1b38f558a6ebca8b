package dev.cella.protocol.transport;

import static dev.cella.protocol.transport.RingLayout.KIND_ABORT;
import static dev.cella.protocol.transport.RingLayout.KIND_REQUEST;
import static dev.cella.protocol.transport.RingLayout.KIND_RESPONSE;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.spi.FrameParts;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

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
 * answer unparks it (timed parks from 20 µs, doubling). The doorbell thread blocks on the {@link
 * Doorbell}, which the other side rings only when this side asked for it (no reader polling), so
 * an idle side uses no CPU.
 *
 * <p><b>Inline serving</b> (the enclave): the doorbell thread runs the requests it reads itself
 * and then polls for the next one, for an adaptive budget (about twice the
 * recent gap between requests, from the spin time up to 1 ms), so that a loaded machine does not
 * settle into a doorbell per call. A monitor notices when it has been inside one request for a
 * tick (1 ms): it then makes another thread the doorbell thread, so a slow or blocking request
 * never stalls the others.
 *
 * <p><b>Failure.</b> Everything read from shared memory is checked before it is used; a
 * violation, the other side going away, the other side reading nothing for the {@linkplain
 * Builder#writeTimeout write timeout} while this side waits for room in the ring, or {@link
 * #fail} makes every pending and later call fail with {@code UNAVAILABLE}.
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
  private static final FrameParts NOTHING = FrameParts.whole(EMPTY);
  private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final long FIRST_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
  /** How long a caller may go on polling while the other side moves bytes (see exchange). */
  private static final long MAX_MOVING_POLL_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** The default {@link Builder#writeTimeout}, in seconds. */
  public static final int DEFAULT_WRITE_TIMEOUT_SECONDS = 30;
  private static final Duration DEFAULT_WRITE_TIMEOUT =
      Duration.ofSeconds(DEFAULT_WRITE_TIMEOUT_SECONDS);

  /** Serves one request from the other side: takes its frame, returns the response frame. */
  @FunctionalInterface
  public interface Handler {
    byte[] handle(byte[] request);

    /**
     * Serves a request that may have come in two parts ({@link #call(FrameParts)}); the answer
     * may be in two parts too. By default the parts are joined and given to {@link
     * #handle(byte[])}, and its answer goes back whole.
     */
    default FrameParts handle(FrameParts request) {
      return FrameParts.whole(handle(request.joined()));
    }
  }

  /**
   * The two rings of one side of a {@link SharedChannel}: the one it reads, the one it writes,
   * and which side it is. The two sides ask for rings differently (see {@link Inbox}): the host
   * reader asks only while one of its callers waits, so the enclave writer rings the host's
   * doorbell thread for every request nested in no call.
   */
  public static final class Rings {
    final RingReader reader;
    final RingWriter writer;
    final boolean host;

    Rings(RingReader reader, RingWriter writer, boolean host) {
      this.reader = reader;
      this.writer = writer;
      this.host = host;
    }
  }

  /** The request a thread is serving, so that calls it makes are sent as nested in it. */
  private record Serving(Endpoint endpoint, long callId) {}

  private final String name;
  private final Doorbell doorbell;
  private final Handler handler;
  private final Executor executor;
  private final long callSpinNanos;
  private final int maxMessageBytes;
  private final ChannelState state;
  private final Inbox inbox;
  private final Outbox outbox;
  private final DoorbellThreads threads;
  /** How often a thread of this side went to sleep waiting for the other side (diagnostics). */
  private final LongAdder sleeps = new LongAdder();
  private final AtomicLong ids = new AtomicLong();
  private final Semaphore serving;
  private final Handler whenBusy;

  private Endpoint(Builder b) {
    this.name = b.name;
    this.doorbell = b.doorbell;
    this.handler = b.handler;
    this.executor = b.executor != null ? b.executor : Executors.newVirtualThreadPerTaskExecutor();
    this.serving = b.maxServing > 0 ? new Semaphore(b.maxServing) : null;
    this.whenBusy = b.whenBusy;
    this.callSpinNanos = b.spin.toNanos();
    this.maxMessageBytes = b.maxMessageBytes;
    this.state = new ChannelState(b.name);
    this.inbox = new Inbox(b.rings.reader, b.maxMessageBytes, state, this::dispatch,
        b.rings.host);
    this.outbox = new Outbox(b.rings.writer, b.doorbell, inbox, state, b.writeTimeout,
        !b.rings.host);
    this.threads = new DoorbellThreads(b.name, b.doorbell, inbox, state, b.inline, sleeps,
        b.spin.toNanos(), this::serve);
  }

  /** A builder for the endpoint that reads and writes {@code rings}. */
  public static Builder builder(Rings rings, Doorbell doorbell, Handler handler) {
    return new Builder(rings, doorbell, handler);
  }

  /** Starts the doorbell thread (and, when serving inline, its monitor). Call once. */
  public void start() {
    threads.start();
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
    return result(exchange(EMPTY, request)).frame();
  }

  /**
   * {@link #call(byte[])} for a request given as its head and its body, which cross without being
   * joined: the other side's handler receives them apart ({@link Handler#handle(FrameParts)}),
   * and its answer comes back as it sent it, whole or in two parts.
   *
   * @throws EnclaveException as {@link #call(byte[])}; also {@code INVALID_ARGUMENT} for a head
   *     longer than 255 bytes
   */
  public FrameParts call(FrameParts request) {
    if (request.head().length > RingLayout.MAX_HEAD) {
      throw new EnclaveException(Code.INVALID_ARGUMENT, "a message's head has at most "
          + RingLayout.MAX_HEAD + " bytes, got " + request.head().length);
    }
    return result(exchange(request.head(), request.body())).parts();
  }

  private Message exchange(byte[] head, byte[] body) {
    state.check();
    long length = (long) head.length + body.length;
    if (length > maxMessageBytes) {
      throw new EnclaveException(Code.INVALID_ARGUMENT, "a message of " + length
          + " bytes is larger than the channel's limit of " + maxMessageBytes + " bytes");
    }
    Waiter me = new Waiter(ids.incrementAndGet(), Thread.currentThread());
    // A caller that holds the read token reads its own answer (Inbox.pump looks at it first), so
    // it joins the waiters, whom others route to, only when it must: when another thread holds
    // the token, or before it gives the token up while it still waits. A back-to-back call then
    // costs no registration. One that finds the token taken registers, then tries again: the
    // holder letting go either is seen here or sees this caller (Inbox.release).
    boolean holding = inbox.tryAcquire();
    if (!holding) {
      inbox.register(me);
      holding = inbox.tryAcquire();
    }
    try {
      // When the request rang the doorbell, the other side sleeps: the answer takes at least a
      // wake-up, and polling meanwhile would only take a core from the thread being woken.
      long spinNanos = outbox.send(KIND_REQUEST, me.id, parentId(), head, body)
          ? 0 : callSpinNanos;
      long spinStart = System.nanoTime();
      long movingUntil = spinStart + MAX_MOVING_POLL_NANOS;
      long read = inbox.position();
      long parkNanos = FIRST_PARK_NANOS;
      long spun = 0; // as of the last clock read: see SpinBudget.readsClock
      int polls = 0;
      while (true) {
        Message mail = me.poll();
        if (mail != null) {
          if (!mail.isRequest()) {
            return mail;
          }
          if (holding) {
            inbox.register(me);
            inbox.release();
            holding = false;
          }
          spinNanos = serve(mail) ? 0 : callSpinNanos;
          spinStart = System.nanoTime();
          spun = 0;
          continue;
        }
        state.check();
        if (SpinBudget.readsClock(++polls, spun)) {
          spun = System.nanoTime() - spinStart;
        }
        if (spun < spinNanos) {
          if (!holding) {
            holding = inbox.tryAcquire();
          }
          if (holding) {
            inbox.safePump(me, false);
          }
          if (!me.hasMail()) {
            SpinBudget.pause(spun);
          }
        } else if (holding && inbox.position() != read && spinStart < movingUntil) {
          // Records came in during this budget (a large answer streaming in): the other side
          // is awake and writing, so its next records need no ring, and sleeping now would cost
          // a wake-up per call. Bounded, so that a side trickling bytes cannot keep this thread
          // polling for ever.
          read = inbox.position();
          spinStart = System.nanoTime();
          spun = 0;
        } else if (holding) {
          inbox.register(me);
          inbox.release();
          holding = false;
        } else if (sleepOnDoorbell(me, parkNanos)) {
          // This thread swallowed the ring, so it must look at the ring (or leave that to the
          // token's holder, who looks before it lets go).
          holding = inbox.tryAcquire();
          if (holding) {
            inbox.safePump(me, false);
          }
          spinNanos = callSpinNanos;
          spinStart = System.nanoTime();
          spun = 0;
        } else {
          parkNanos = Math.min(PARK_NANOS, parkNanos * 2);
        }
      }
    } finally {
      // Gone from the waiters before the token goes: a host side that lets the token go with
      // none left does not ask for rings (Inbox), so back-to-back calls leave the wake flag alone.
      inbox.unregister(me);
      if (holding) {
        inbox.release();
      }
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
    sleeps.increment();
    Doorbell.Sleeper sleeper = doorbell.trySleeper();
    if (sleeper == null) {
      me.park(parkNanos);
      return false;
    }
    try {
      if (!me.sleep(sleeper, PARK_NANOS)) {
        state.fail(name + ": the other side closed the channel");
      }
      return true;
    } catch (IOException | RuntimeException e) {
      state.fail(name + ": the doorbell failed (" + e.getMessage() + ")");
      return false;
    } finally {
      sleeper.release();
      inbox.wakeAnotherParked(me);
    }
  }

  /** Whether the channel still works. */
  public boolean isAlive() {
    return state.isAlive();
  }

  /**
   * How many answers the other side sent that no call of this side waited for: answers to calls
   * never made, second answers to one call. Each is a protocol violation, dropped and logged.
   */
  public long strayAnswers() {
    return inbox.strayAnswers();
  }

  /** Why the channel failed, or null while it works. */
  public String failureOrNull() {
    return state.reasonOrNull();
  }

  /** Marks the channel failed for {@code reason} (the first reason stays) and wakes every waiter. */
  public void fail(String reason) {
    state.fail(Objects.requireNonNull(reason, "reason"));
  }

  /** Blocks until the channel fails; returns why. */
  public String awaitFailure() throws InterruptedException {
    return state.await();
  }

  /** Blocks up to {@code timeout} until the channel fails; returns whether it has. */
  public boolean awaitFailure(Duration timeout) throws InterruptedException {
    return state.await(timeout);
  }

  /** Fails the channel as closed. The caller closes the doorbell and the shared memory. */
  @Override
  public void close() {
    fail(name + ": the channel is closed");
  }

  /**
   * How many times a thread of this side has gone to sleep waiting for the other side: a caller
   * on its doorbell or parked, the doorbell thread on its doorbell. Each costs a wake-up.
   */
  long sleeps() {
    return sleeps.sum();
  }

  // ---- serving ----

  private void dispatch(Message request) {
    Semaphore serving = this.serving;
    boolean admitted = serving == null || serving.tryAcquire();
    try {
      if (admitted) {
        executor.execute(() -> {
          try {
            serve(request, handler);
          } finally {
            if (serving != null) {
              serving.release();
            }
          }
        });
      } else {
        // Over the bound: answered at once, on a thread that runs no handler code.
        executor.execute(() -> serve(request, whenBusy));
      }
    } catch (RejectedExecutionException e) {
      if (admitted && serving != null) {
        serving.release();
      }
      fail(name + ": cannot serve a request: " + e.getMessage());
    }
  }

  /** Runs one request and sends its answer; returns whether sending it rang the doorbell. */
  private boolean serve(Message request) {
    return serve(request, handler);
  }

  private boolean serve(Message request, Handler with) {
    byte kind = KIND_RESPONSE;
    FrameParts response;
    try {
      response = ScopedValue.where(SERVING, new Serving(this, request.callId()))
          .call(() -> request.head().length == 0
              ? wholeOrNull(with.handle(request.body()))
              : with.handle(request.parts()));
      if (response == null || response.length() > maxMessageBytes
          || response.head().length > RingLayout.MAX_HEAD) {
        kind = KIND_ABORT;
        response = NOTHING;
      }
    } catch (Throwable t) {
      LOG.log(System.Logger.Level.DEBUG, "{0}: a request handler threw {1}", name,
          t.getClass().getName());
      kind = KIND_ABORT;
      response = NOTHING;
    }
    try {
      return outbox.send(kind, request.callId(), 0, response.head(), response.body());
    } catch (EnclaveException e) {
      return false; // The channel failed: nobody is left to answer.
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

  private Message result(Message response) {
    if (response.kind() == KIND_ABORT) {
      throw new EnclaveException(Code.INTERNAL, name + ": the other side could not answer the call");
    }
    return response;
  }

  private static FrameParts wholeOrNull(byte[] response) {
    return response == null ? null : FrameParts.whole(response);
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
    private Duration writeTimeout = DEFAULT_WRITE_TIMEOUT;
    private int maxServing;
    private Handler whenBusy;

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

    /**
     * Bounds how many requests nested in no call of this side run at once on the executor (those
     * nested in a call are served by the calling thread and are not counted): one more is
     * answered at once by {@code whenBusy} (say, with an error frame) instead of waiting.
     */
    public Builder maxServing(int maxServing, Handler whenBusy) {
      if (maxServing < 1) {
        throw new IllegalArgumentException("maxServing must be at least 1, got " + maxServing);
      }
      this.maxServing = maxServing;
      this.whenBusy = Objects.requireNonNull(whenBusy, "whenBusy");
      return this;
    }

    /** Whether the doorbell thread runs the requests it reads itself (the enclave side). */
    public Builder inlineServer(boolean inline) {
      this.inline = inline;
      return this;
    }

    /** How long a waiting caller polls the ring before it sleeps; also the inline server's least. */
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

    /**
     * How long a writer waits for the other side to make room in the ring before it gives the
     * other side up as no longer reading and fails the channel ({@code UNAVAILABLE}); the clock
     * restarts whenever a record goes in. Default {@value Endpoint#DEFAULT_WRITE_TIMEOUT_SECONDS} s: a
     * side that reads drains its ring within microseconds, so only a stopped, stuck or hostile
     * one (or a pause of that length) reaches it.
     */
    public Builder writeTimeout(Duration writeTimeout) {
      if (writeTimeout.isNegative() || writeTimeout.isZero()) {
        throw new IllegalArgumentException("writeTimeout must be positive, got " + writeTimeout);
      }
      this.writeTimeout = writeTimeout;
      return this;
    }

    public Endpoint build() {
      return new Endpoint(this);
    }
  }
}
