package dev.cella.enclave.internal.channel;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.attestation.VerifiedEnclave;
import dev.cella.enclave.EnclaveChannel;
import dev.cella.protocol.ChannelMessages;
import dev.cella.protocol.FrameType;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * One end of an enclave channel: an {@link SSLEngine} whose TLS records travel through the host
 * ({@code CHANNEL_SEND} out, {@code CHANNEL_DELIVER} in). Messages are framed inside TLS as a u32
 * length and the bytes. Sending and receiving each have their own lock; a receive that must
 * answer a post-handshake message (e.g. a key update) takes the send lock too, never the
 * reverse.
 *
 * <p>Thread-safe.
 */
final class TlsChannel implements EnclaveChannel {
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  private final long id;
  private final String peerName;
  private final SSLEngine engine;
  private final Inbox inbox;
  private final ChannelHub hub;
  private final BiFunction<FrameType, byte[], byte[]> host;
  private final int maxChunk;
  private final Object sendLock = new Object();
  private final Object receiveLock = new Object();
  private final AtomicBoolean closed = new AtomicBoolean();
  private ByteBuffer netIn = ByteBuffer.allocate(0);
  private ByteBuffer appIn;
  private ByteBuffer netOut;
  private byte[] plain = new byte[1024];
  private int plainLength;
  private boolean peerClosed;
  private volatile VerifiedEnclave peer;

  TlsChannel(long id, String peerName, SSLEngine engine, ChannelHub hub,
      BiFunction<FrameType, byte[], byte[]> host) {
    this.id = id;
    this.peerName = peerName;
    this.engine = engine;
    this.hub = hub;
    this.inbox = hub.inbox(id);
    this.host = host;
    this.maxChunk = Math.max(1024, hub.maxFrameBytes() - 64);
    this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
    this.netOut = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
  }

  long id() {
    return id;
  }

  javax.net.ssl.SSLSession engineSession() {
    return engine.getSession();
  }

  void verified(VerifiedEnclave enclave) {
    this.peer = enclave;
    hub.opened(id, this);
  }

  /** Runs the TLS handshake until it is done or {@code deadlineNanos} passes. */
  void handshake(long deadlineNanos) throws SSLException {
    synchronized (receiveLock) {
      synchronized (sendLock) {
        engine.beginHandshake();
        while (true) {
          HandshakeStatus status = engine.getHandshakeStatus();
          switch (status) {
            case NEED_WRAP -> wrapAndSend(EMPTY);
            case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
              if (!unwrapOnce()) {
                fill(deadlineNanos, "the TLS handshake with '" + peerName + "'");
              }
            }
            case NEED_TASK -> runTasks();
            case FINISHED, NOT_HANDSHAKING -> {
              return;
            }
          }
        }
      }
    }
  }

  /** After a failed handshake: sends the engine's alert, if any, so the peer learns at once. */
  void sendAlertQuietly() {
    synchronized (sendLock) {
      try {
        engine.closeOutbound();
        if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
          wrapAndSend(EMPTY);
        }
      } catch (SSLException | RuntimeException ignored) {
        // The channel is being abandoned.
      }
    }
  }

  @Override
  public String peerName() {
    return peerName;
  }

  @Override
  public VerifiedEnclave peer() {
    return peer;
  }

  @Override
  public void send(byte[] message) {
    Objects.requireNonNull(message, "message");
    if (message.length > MAX_MESSAGE_BYTES) {
      throw new EnclaveException(Code.INVALID_ARGUMENT, "a message of " + message.length
          + " bytes is longer than the limit " + MAX_MESSAGE_BYTES);
    }
    ByteBuffer framed = ByteBuffer.allocate(4 + message.length).putInt(message.length).put(message);
    framed.flip();
    synchronized (sendLock) {
      requireOpen();
      try {
        wrapAndSend(framed);
      } catch (SSLException e) {
        throw broken("sending failed: " + e.getMessage());
      } finally {
        framed.clear();
        Arrays.fill(framed.array(), (byte) 0);
      }
    }
  }

  @Override
  public Optional<byte[]> receive(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (receiveLock) {
      requireOpen();
      try {
        while (true) {
          if (plainLength >= 4) {
            int length = ByteBuffer.wrap(plain, 0, 4).getInt();
            if (length < 0 || length > MAX_MESSAGE_BYTES) {
              throw broken("the peer sent a message of " + Integer.toUnsignedString(length)
                  + " bytes, longer than the limit");
            }
            if (plainLength >= 4 + length) {
              byte[] message = Arrays.copyOfRange(plain, 4, 4 + length);
              System.arraycopy(plain, 4 + length, plain, 0, plainLength - 4 - length);
              Arrays.fill(plain, plainLength - 4 - length, plainLength, (byte) 0);
              plainLength -= 4 + length;
              return Optional.of(message);
            }
          }
          if (peerClosed) {
            if (plainLength > 0) {
              throw broken("the peer closed the channel in the middle of a message");
            }
            return Optional.empty();
          }
          if (!unwrapOnce()) {
            fill(deadline, "a message from '" + peerName + "'");
          }
        }
      } catch (SSLException e) {
        throw broken("the TLS stream from '" + peerName + "' is broken: " + e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    synchronized (sendLock) {
      try {
        engine.closeOutbound();
        wrapAndSend(EMPTY);
      } catch (SSLException | RuntimeException ignored) {
        // Best effort: the close below tells the host either way.
      }
    }
    try {
      host.apply(FrameType.CHANNEL_CLOSE, new ChannelMessages.Close(id, "closed").encode());
    } catch (RuntimeException ignored) {
      // The host may already have closed it (peer gone, enclave finishing).
    }
    hub.forget(id);
  }

  /** Unwraps what is buffered; false when more bytes are needed. Caller holds the receive lock. */
  private boolean unwrapOnce() throws SSLException {
    SSLEngineResult result = engine.unwrap(netIn, appIn);
    switch (result.getStatus()) {
      case BUFFER_UNDERFLOW -> {
        return false;
      }
      case BUFFER_OVERFLOW -> appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
      case CLOSED -> peerClosed = true;
      case OK -> { }
    }
    drainPlain();
    HandshakeStatus status = result.getHandshakeStatus();
    if (status == HandshakeStatus.NEED_TASK) {
      runTasks();
    }
    if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP && !engine.isOutboundDone()) {
      synchronized (sendLock) {
        wrapAndSend(EMPTY);
      }
    }
    return true;
  }

  private void drainPlain() {
    appIn.flip();
    int n = appIn.remaining();
    if (n > 0) {
      if (plainLength + n > plain.length) {
        plain = Arrays.copyOf(plain, Math.max(plain.length * 2, plainLength + n));
      }
      appIn.get(plain, plainLength, n);
      plainLength += n;
    }
    appIn.clear();
  }

  /** Appends the next chunk from the inbox to {@code netIn}. */
  private void fill(long deadlineNanos, String what) {
    byte[] chunk;
    try {
      chunk = inbox.take(deadlineNanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnclaveException(Code.CANCELLED, "interrupted while waiting for " + what);
    } catch (Inbox.ClosedException e) {
      throw broken("the channel was closed before " + what + " arrived (" + e.getMessage() + ")");
    }
    if (chunk == null) {
      throw new EnclaveException(Code.DEADLINE_EXCEEDED, "no " + what + " in time");
    }
    ByteBuffer joined = ByteBuffer.allocate(netIn.remaining() + chunk.length);
    joined.put(netIn).put(chunk).flip();
    netIn = joined;
  }

  /** Wraps all of {@code src} and sends the records in chunks. Caller holds the send lock. */
  private void wrapAndSend(ByteBuffer src) throws SSLException {
    ByteBuffer pending = ByteBuffer.allocate(0);
    do {
      netOut.clear();
      SSLEngineResult result = engine.wrap(src, netOut);
      if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
        netOut = grow(netOut, engine.getSession().getPacketBufferSize());
        continue;
      }
      netOut.flip();
      if (netOut.hasRemaining()) {
        if (pending.remaining() + netOut.remaining() > maxChunk) {
          transmit(pending);
          pending = ByteBuffer.allocate(0);
        }
        pending = ByteBuffer.allocate(pending.remaining() + netOut.remaining())
            .put(pending).put(netOut).flip();
      }
      if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
        runTasks();
      }
      if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
        break;
      }
    } while (src.hasRemaining()
        || (src == EMPTY && engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP));
    transmit(pending);
  }

  private void transmit(ByteBuffer bytes) {
    if (!bytes.hasRemaining()) {
      return;
    }
    byte[] copy = new byte[bytes.remaining()];
    bytes.get(copy);
    host.apply(FrameType.CHANNEL_SEND, new ChannelMessages.Data(id, copy).encode());
  }

  private void runTasks() {
    Runnable task;
    while ((task = engine.getDelegatedTask()) != null) {
      task.run();
    }
  }

  private void requireOpen() {
    if (closed.get()) {
      throw new EnclaveException(Code.FAILED_PRECONDITION, "the channel to '" + peerName
          + "' is closed");
    }
  }

  private EnclaveException broken(String why) {
    return new EnclaveException(Code.UNAVAILABLE, "channel to '" + peerName + "': " + why);
  }

  private static ByteBuffer grow(ByteBuffer buffer, int atLeast) {
    buffer.flip();
    return ByteBuffer.allocate(Math.max(buffer.capacity() * 2, atLeast)).put(buffer);
  }

  static long deadline(Duration timeout) {
    return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout.toMillis());
  }
}
