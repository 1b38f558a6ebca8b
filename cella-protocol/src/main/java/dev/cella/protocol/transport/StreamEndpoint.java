package dev.cella.protocol.transport;

import static dev.cella.protocol.transport.RingLayout.KIND_ABORT;
import static dev.cella.protocol.transport.RingLayout.KIND_REQUEST;
import static dev.cella.protocol.transport.RingLayout.KIND_RESPONSE;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One side of a channel over a byte stream (a socket, a virtio serial port): the same calls as
 * {@link Endpoint} — many concurrent callers, requests in both directions, requests nested in a
 * call of the other side delivered to the thread waiting for that call — with length-prefixed
 * records ({@link StreamFraming}) instead of shared-memory rings. The {@code vm} backend uses it
 * between the host and its guest.
 *
 * <p>One reader thread reads the stream and routes each message: a response to the thread
 * waiting for it, a nested request to the thread whose call it is nested in, any other request to
 * the executor (virtual threads by default). Writers are serialized by a lock. Everything read is
 * checked before use and a record's length against the limit before anything is allocated; a
 * violation, the end of the stream, or {@link #fail} makes every pending and later call fail with
 * {@code UNAVAILABLE}.
 *
 * <pre>{@code
 * StreamEndpoint host = StreamEndpoint.builder(socketIn, socketOut, hostCalls::handle)
 *     .name("enclave 'signer'").maxMessageBytes(limit).build();
 * host.start();
 * host.awaitHello(Duration.ofSeconds(60));
 * byte[] response = host.call(requestFrame);
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class StreamEndpoint implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(StreamEndpoint.class.getName());
  private static final ScopedValue<Serving> SERVING = ScopedValue.newInstance();
  private static final byte[] EMPTY = new byte[0];
  private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private record Serving(StreamEndpoint endpoint, long callId) {}

  private final String name;
  private final InputStream in;
  private final OutputStream out;
  private final Closeable onFailure;
  private final Endpoint.Handler handler;
  private final Executor executor;
  private final int maxMessageBytes;
  private final ChannelState state;
  private final ConcurrentHashMap<Long, Waiter> waiters = new ConcurrentHashMap<>();
  private final StrayAnswers strays = new StrayAnswers();
  private final ReentrantLock writeLock = new ReentrantLock();
  private final CountDownLatch hello = new CountDownLatch(1);
  private final AtomicLong ids = new AtomicLong();
  private final Thread reader;

  private StreamEndpoint(Builder b) {
    this.name = b.name;
    this.in = new BufferedInputStream(new NoAvailable(b.in), 1 << 16);
    this.out = new BufferedOutputStream(b.out, 1 << 16);
    this.onFailure = b.closeOnFailure;
    this.handler = b.handler;
    this.executor = b.executor != null ? b.executor : Executors.newVirtualThreadPerTaskExecutor();
    this.maxMessageBytes = b.maxMessageBytes;
    this.state = new ChannelState(b.name);
    this.reader = Thread.ofPlatform().daemon().name("cella-stream " + b.name)
        .unstarted(this::readLoop);
    state.onFailure(() -> {
      waiters.values().forEach(Waiter::interruptWait);
      hello.countDown();
      closeQuietly();
    });
  }

  /** A builder for the endpoint that reads {@code in} and writes {@code out}. */
  public static Builder builder(InputStream in, OutputStream out, Endpoint.Handler handler) {
    return new Builder(in, out, handler);
  }

  /** Sends this side's hello and starts the reader thread. Call once. */
  public void start() {
    writeLock.lock();
    try {
      StreamFraming.writeHello(out);
    } catch (IOException e) {
      state.fail(name + ": the other side is gone (" + e.getMessage() + ")");
    } finally {
      writeLock.unlock();
    }
    reader.start();
  }

  /**
   * Waits until the other side's hello has arrived: it has started its end.
   *
   * @return true once it has; false when the timeout passed or the channel failed first
   */
  public boolean awaitHello(Duration timeout) throws InterruptedException {
    return hello.await(timeout.toNanos(), TimeUnit.NANOSECONDS) && state.isAlive();
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
    state.check();
    if (request.length > maxMessageBytes) {
      throw new EnclaveException(Code.INVALID_ARGUMENT, "a message of " + request.length
          + " bytes is larger than the channel's limit of " + maxMessageBytes + " bytes");
    }
    Waiter me = new Waiter(ids.incrementAndGet(), Thread.currentThread());
    waiters.put(me.id, me);
    try {
      if (!state.isAlive()) {
        throw state.unavailable();
      }
      send(KIND_REQUEST, me.id, parentId(), request);
      while (true) {
        Message mail = me.poll();
        if (mail != null) {
          if (!mail.isRequest()) {
            return result(mail);
          }
          serve(mail);
          continue;
        }
        state.check();
        me.park(PARK_NANOS);
      }
    } finally {
      waiters.remove(me.id);
    }
  }

  /** How many answers arrived that no call waited for: violations, dropped ({@link StrayAnswers}). */
  public long strayAnswers() {
    return strays.count();
  }

  /** Whether the channel still works. */
  public boolean isAlive() {
    return state.isAlive();
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

  /** Fails the channel as closed, which closes the streams. */
  @Override
  public void close() {
    fail(name + ": the channel is closed");
  }

  private void readLoop() {
    try {
      if (!StreamFraming.readHello(in)) {
        state.fail(name + ": the other side closed the channel before it started");
        return;
      }
      hello.countDown();
      while (state.isAlive()) {
        Message message = StreamFraming.read(in, maxMessageBytes);
        if (message == null) {
          state.fail(name + ": the other side closed the channel");
          return;
        }
        route(message);
      }
    } catch (TransportException e) {
      state.fail(name + ": " + e.getMessage());
    } catch (IOException | RuntimeException e) {
      state.fail(name + ": the channel broke (" + e.getMessage() + ")");
    }
  }

  private void route(Message message) {
    if (message.isRequest()) {
      Waiter parent = message.parentId() == 0 ? null : waiters.get(message.parentId());
      if (parent != null) {
        parent.offerRequest(message);
      } else {
        try {
          executor.execute(() -> serve(message));
        } catch (RejectedExecutionException e) {
          fail(name + ": cannot serve a request: " + e.getMessage());
        }
      }
    } else {
      Waiter waiter = waiters.get(message.callId());
      if (waiter == null || !waiter.offerResponse(message)) {
        strays.report(name, message.callId());
      }
    }
  }

  private void serve(Message request) {
    byte kind = KIND_RESPONSE;
    byte[] response;
    try {
      response = ScopedValue.where(SERVING, new Serving(this, request.callId()))
          .call(() -> handler.handle(request.frame()));
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

  private void send(byte kind, long callId, long parentId, byte[] payload) {
    writeLock.lock();
    try {
      state.check();
      StreamFraming.write(out, kind, callId, parentId, payload);
      out.flush();
    } catch (IOException e) {
      state.fail(name + ": the other side is gone (" + e.getMessage() + ")");
      throw state.unavailable();
    } finally {
      writeLock.unlock();
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
    return response.frame();
  }

  private void closeQuietly() {
    try {
      if (onFailure != null) {
        onFailure.close();
      }
    } catch (IOException | RuntimeException ignored) {
      // Closing anyway.
    }
  }

  /**
   * Hides {@link InputStream#available()}, which {@link BufferedInputStream} asks after a short
   * read: on a character device without {@code FIONREAD} (a virtio serial port) the JDK answers
   * it with {@code lseek}, which fails ("Illegal seek"). Reads block for what they need anyway.
   */
  private static final class NoAvailable extends java.io.FilterInputStream {
    NoAvailable(InputStream in) {
      super(in);
    }

    @Override
    public int available() {
      return 0;
    }
  }

  /** Builds a {@link StreamEndpoint}. Not thread-safe. */
  public static final class Builder {
    private final InputStream in;
    private final OutputStream out;
    private final Endpoint.Handler handler;
    private String name = "channel";
    private Executor executor;
    private Closeable closeOnFailure;
    private int maxMessageBytes = 16 << 20;

    private Builder(InputStream in, OutputStream out, Endpoint.Handler handler) {
      this.in = Objects.requireNonNull(in, "in");
      this.out = Objects.requireNonNull(out, "out");
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
     * Closed once the channel fails — the socket or device under the streams — so that the
     * reader thread stops and the other side sees the end.
     */
    public Builder closeOnFailure(Closeable resource) {
      this.closeOnFailure = Objects.requireNonNull(resource, "resource");
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

    public StreamEndpoint build() {
      return new StreamEndpoint(this);
    }
  }
}
