package dev.cella.protocol.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How an idle side of a channel sleeps without using CPU and how the other side wakes it: a byte
 * stream each way. A byte means "look at the ring"; its value carries nothing, so extra bytes only
 * cost a spurious wake-up. The end of the stream means the other side is gone.
 *
 * <p>Incoming rings arrive on a blocking {@link InputStream} (a pipe, such as a child's standard
 * input), which only the doorbell thread waits on, or on a Unix-domain {@link SocketChannel},
 * which a caller waiting for an answer can also wait on itself (one at a time), so that the
 * answer wakes it directly instead of through the doorbell thread. With {@linkplain
 * #withCallerBell two bells in}, the writer rings the callers' socket for answers and nested
 * requests and the doorbell thread's stream for the rest, so that a ring wakes one thread — the
 * one that handles it — and not also a second that would only compete for a core. Outgoing rings
 * go to a stream or to a socket; a socket is written without blocking, as a full socket already
 * holds rings.
 *
 * <pre>{@code
 * Doorbell host = Doorbell.withCallerBell(acceptedSocket, process.getInputStream(),
 *     process.getOutputStream());
 * Doorbell enclave = Doorbell.toCallerBell(new FileInputStream(FileDescriptor.in),
 *     connectedSocket, new FileOutputStream(FileDescriptor.out));
 * }</pre>
 *
 * <p>Thread-safe: {@link #ring} from any thread; {@link #await} from one thread at a time.
 */
public final class Doorbell implements AutoCloseable {
  private final Incoming incoming;
  private final Incoming callers;
  private final Outgoing outgoing;
  private final Outgoing toCallers;

  private Doorbell(Incoming incoming, Incoming callers, Outgoing outgoing, Outgoing toCallers) {
    this.incoming = incoming;
    this.callers = callers;
    this.outgoing = outgoing;
    this.toCallers = toCallers;
  }

  /** Rings arrive on {@code incoming} and go out on {@code outgoing}. */
  public static Doorbell of(InputStream incoming, OutputStream outgoing) {
    Incoming in = new StreamIncoming(incoming);
    Outgoing out = new StreamOutgoing(outgoing);
    return new Doorbell(in, in, out, out);
  }

  /** Rings arrive on a connected socket (which is made non-blocking) and go out on a stream. */
  public static Doorbell of(SocketChannel incoming, OutputStream outgoing) throws IOException {
    Incoming in = new SocketIncoming(incoming, true);
    Outgoing out = new StreamOutgoing(outgoing);
    return new Doorbell(in, in, out, out);
  }

  /** Rings arrive on a stream and go out on a connected socket (which is made non-blocking). */
  public static Doorbell of(InputStream incoming, SocketChannel outgoing) throws IOException {
    Incoming in = new StreamIncoming(incoming);
    Outgoing out = new SocketOutgoing(outgoing);
    return new Doorbell(in, in, out, out);
  }

  /**
   * Two bells in: rings for a waiting caller (answers, and requests nested in its call) arrive on
   * {@code forCallers}, on which one waiting caller sleeps itself; rings for the doorbell thread
   * (requests nested in no call) arrive on {@code forServer}. Each ring then wakes only the
   * thread that will handle what it announces. Rings out go to {@code outgoing}.
   */
  public static Doorbell withCallerBell(SocketChannel forCallers, InputStream forServer,
      OutputStream outgoing) throws IOException {
    Outgoing out = new StreamOutgoing(outgoing);
    return new Doorbell(new StreamIncoming(forServer), new SocketIncoming(forCallers, false), out,
        out);
  }

  /**
   * The other end of {@link #withCallerBell}: rings arrive on {@code incoming}; rings for the
   * other side's waiting callers go to {@code toCallers}, the others to {@code toServer}.
   */
  public static Doorbell toCallerBell(InputStream incoming, SocketChannel toCallers,
      OutputStream toServer) throws IOException {
    return new Doorbell(new StreamIncoming(incoming), null, new StreamOutgoing(toServer),
        new SocketOutgoing(toCallers));
  }

  /** Wakes the other side's doorbell thread. */
  public void ring() throws IOException {
    outgoing.ring();
  }

  /**
   * Wakes the other side for a message: one for a waiting caller (an answer, or a request nested
   * in a call) goes to its callers' bell, any other to its doorbell thread.
   */
  void ring(boolean forCaller) throws IOException {
    (forCaller ? toCallers : outgoing).ring();
  }

  /**
   * Blocks until the other side rings the doorbell thread, then swallows every ring already
   * waiting.
   *
   * @return false when the other side has closed its end (it is gone)
   */
  public boolean await() throws IOException {
    return incoming.await();
  }

  /** A waiting caller's way to sleep until a ring, or null when only the doorbell thread can. */
  Sleeper trySleeper() {
    return callers == null ? null : callers.trySleeper();
  }

  /** Closes the direction to the other side, which sees the end of its stream and stops. */
  public void hangUp() {
    outgoing.close();
    toCallers.close();
  }

  /** Closes both directions. */
  @Override
  public void close() {
    hangUp();
    incoming.close();
    if (callers != null) {
      callers.close();
    }
  }

  /** A thread sleeping until the doorbell rings or someone wakes it. Not thread-safe but {@link #wake}. */
  interface Sleeper {
    /** Sleeps until a ring, {@link #wake} or the timeout. False when the other side is gone. */
    boolean sleep(long nanos) throws IOException;

    /** Wakes the sleeping thread, from any thread. */
    void wake();

    /** Gives the sleeper back; the next caller may take it. */
    void release();
  }

  private interface Incoming {
    boolean await() throws IOException;

    Sleeper trySleeper();

    void close();
  }

  private interface Outgoing {
    void ring() throws IOException;

    void close();
  }

  private static final class StreamIncoming implements Incoming {
    private final InputStream in;
    private final byte[] drain = new byte[64];

    StreamIncoming(InputStream in) {
      this.in = Objects.requireNonNull(in, "in");
    }

    @Override
    public boolean await() throws IOException {
      // One read takes the ring and whatever other rings are already waiting (a pipe returns
      // what it holds, up to the buffer): no second system call to ask how many there are.
      return in.read(drain, 0, drain.length) >= 0;
    }

    @Override
    public Sleeper trySleeper() {
      return null;
    }

    @Override
    public void close() {
      try {
        in.close();
      } catch (IOException ignored) {
        // Nothing left to read.
      }
    }
  }

  private static final class SocketIncoming implements Incoming, Sleeper {
    private final SocketChannel socket;
    private final Selector doorbellThread;
    private final Selector caller;
    private final AtomicBoolean callerTaken = new AtomicBoolean();
    private final ByteBuffer drain = ByteBuffer.allocate(64);

    /** @param forDoorbellThread whether the doorbell thread waits on it too */
    SocketIncoming(SocketChannel socket, boolean forDoorbellThread) throws IOException {
      this.socket = socket;
      socket.configureBlocking(false);
      doorbellThread = forDoorbellThread ? Selector.open() : null;
      caller = Selector.open();
      if (doorbellThread != null) {
        socket.register(doorbellThread, SelectionKey.OP_READ);
      }
      socket.register(caller, SelectionKey.OP_READ);
    }

    @Override
    public boolean await() throws IOException {
      if (doorbellThread == null) {
        throw new IllegalStateException("only callers wait on this bell");
      }
      doorbellThread.select();
      doorbellThread.selectedKeys().clear();
      return drain();
    }

    /** Reads every waiting ring; false at the end of the stream. */
    private boolean drain() throws IOException {
      synchronized (drain) {
        while (true) {
          drain.clear();
          int read = socket.read(drain);
          if (read < 0) {
            return false;
          }
          if (read < drain.capacity()) {
            // Fewer than asked for: the socket held no more (a ring that comes meanwhile wakes
            // the next sleep at once, which only costs a look at the ring).
            return true;
          }
        }
      }
    }

    @Override
    public Sleeper trySleeper() {
      return callerTaken.compareAndSet(false, true) ? this : null;
    }

    @Override
    public boolean sleep(long nanos) throws IOException {
      caller.select(Math.max(1, nanos / 1_000_000));
      caller.selectedKeys().clear();
      return drain();
    }

    @Override
    public void wake() {
      caller.wakeup();
    }

    @Override
    public void release() {
      callerTaken.set(false);
    }

    @Override
    public void close() {
      try {
        socket.close();
        if (doorbellThread != null) {
          doorbellThread.close();
        }
        caller.close();
      } catch (IOException ignored) {
        // Closing anyway.
      }
    }
  }

  private static final class StreamOutgoing implements Outgoing {
    private final OutputStream out;

    StreamOutgoing(OutputStream out) {
      this.out = Objects.requireNonNull(out, "out");
    }

    @Override
    public void ring() throws IOException {
      synchronized (out) {
        out.write(1);
        out.flush();
      }
    }

    @Override
    public void close() {
      try {
        synchronized (out) {
          out.close();
        }
      } catch (IOException ignored) {
        // The other side is already gone.
      }
    }
  }

  private static final class SocketOutgoing implements Outgoing {
    private final SocketChannel socket;
    private final ByteBuffer one = ByteBuffer.allocateDirect(1);

    SocketOutgoing(SocketChannel socket) throws IOException {
      this.socket = socket;
      socket.configureBlocking(false);
    }

    @Override
    public void ring() throws IOException {
      synchronized (one) {
        one.clear().put((byte) 1).flip();
        socket.write(one); // 0 bytes written: the socket is full of rings already
      }
    }

    @Override
    public void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // Already closed.
      }
    }
  }
}
