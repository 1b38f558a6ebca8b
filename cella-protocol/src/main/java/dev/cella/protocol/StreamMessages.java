package dev.cella.protocol;

import java.util.Objects;

/**
 * The payloads of the stream frames: TCP connections relayed through the boundary for backends
 * whose enclave has no network of its own. The host relays a stream's bytes between a host socket
 * and a socket inside the enclave without reading them; these messages only say which stream,
 * which port and whom. The side that opens a stream names it (see {@link #isEnclaveId}); each side
 * may only name the streams that are open between the two.
 *
 * <p>A stream has two directions. {@link Close} with {@code reset == false} ends one direction
 * (TCP's FIN: the sender has no more bytes, the other direction goes on); with {@code reset ==
 * true} it breaks both at once.
 *
 * <p>Immutable and thread-safe.
 */
public final class StreamMessages {
  /** The longest host name a connect carries (a DNS name is at most 253 characters). */
  public static final int MAX_HOST_BYTES = 255;
  /** The longest reason carried by a close. */
  public static final int MAX_REASON_BYTES = 1024;

  private StreamMessages() {}

  /** {@link FrameType#STREAM_OPEN}: stream {@code stream} reached the listen grant {@code port}. */
  public record Open(long stream, int port) {
    public Open {
      checkPort(port);
    }

    public byte[] encode() {
      return new WireWriter(12).u64(stream).u32(port).toByteArray();
    }

    public static Open decode(byte[] payload) {
      WireReader in = new WireReader(payload);
      long stream = in.u64("stream id");
      Open open = new Open(stream, readPort(in));
      in.expectEnd("stream open");
      return open;
    }
  }

  /**
   * {@link FrameType#STREAM_CONNECT}: a stream to the granted {@code host:port}, under the id
   * {@code stream} that the enclave chose ({@link #isEnclaveId}); the host answers once its socket
   * is connected.
   */
  public record Connect(long stream, String host, int port) {
    public Connect {
      Objects.requireNonNull(host, "host");
      checkPort(port);
    }

    public byte[] encode() {
      return new WireWriter(24 + host.length()).u64(stream).string(host).u32(port).toByteArray();
    }

    public static Connect decode(byte[] payload) {
      WireReader in = new WireReader(payload);
      long stream = in.u64("stream id");
      String host = in.string(MAX_HOST_BYTES, "host");
      Connect connect = new Connect(stream, host, readPort(in));
      in.expectEnd("stream connect");
      return connect;
    }
  }

  /** {@link FrameType#STREAM_DATA} and {@link FrameType#STREAM_SEND}: opaque bytes. */
  public record Data(long stream, byte[] bytes) {
    public Data {
      Objects.requireNonNull(bytes, "bytes");
    }

    public byte[] encode() {
      return new WireWriter(12 + bytes.length).u64(stream).bytes(bytes).toByteArray();
    }

    /** Decodes, refusing more than {@code maxBytes} of data. */
    public static Data decode(byte[] payload, int maxBytes) {
      WireReader in = new WireReader(payload);
      Data d = new Data(in.u64("stream id"), in.bytes(maxBytes, "stream data"));
      in.expectEnd("stream data");
      return d;
    }
  }

  /**
   * {@link FrameType#STREAM_CLOSE} and {@link FrameType#STREAM_END}: the sender's direction ended
   * ({@code reset == false}) or the whole stream broke ({@code reset == true}), and why.
   */
  public record Close(long stream, boolean reset, String reason) {
    public Close {
      Objects.requireNonNull(reason, "reason");
    }

    public byte[] encode() {
      return new WireWriter(16 + reason.length()).u64(stream).u8(reset ? 1 : 0).string(reason)
          .toByteArray();
    }

    public static Close decode(byte[] payload) {
      WireReader in = new WireReader(payload);
      long stream = in.u64("stream id");
      boolean reset = in.bool("stream reset");
      Close c = new Close(stream, reset, in.string(MAX_REASON_BYTES, "close reason"));
      in.expectEnd("stream close");
      return c;
    }
  }

  /**
   * Whether {@code id} is one an enclave may choose for a stream it opens: the top bit set. The
   * host numbers the streams it opens from 1 with the top bit clear, so the two never collide and
   * each side can register a stream before the other may name it.
   */
  public static boolean isEnclaveId(long id) {
    return id < 0;
  }

  private static int readPort(WireReader in) {
    int port = in.u32("port");
    if (port < 1 || port > 65535) {
      throw new ProtocolException("port " + Integer.toUnsignedString(port)
          + " is out of range (1 to 65535)");
    }
    return port;
  }

  private static void checkPort(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1 to 65535, got " + port);
    }
  }
}
