package dev.cella.protocol;

import java.util.Objects;

/**
 * The payloads of the channel frames. The host relays a channel's bytes between two enclaves
 * without reading them (they are TLS records); these messages only say which channel and whom.
 * Channel ids are the host's: an enclave may only name ids the host gave it.
 *
 * <p>Immutable and thread-safe.
 */
public final class ChannelMessages {
  /** The longest enclave name, as {@code EnclaveManager} allows. */
  public static final int MAX_NAME_BYTES = 64;
  /** The longest reason carried by a close. */
  public static final int MAX_REASON_BYTES = 1024;
  /** The longest wait an enclave may ask for: 10 minutes. */
  public static final int MAX_TIMEOUT_MILLIS = 600_000;

  private ChannelMessages() {}

  /** {@link FrameType#CHANNEL_CONNECT}: to the enclave named {@code peer}, waiting that long. */
  public record Connect(String peer, int timeoutMillis) {
    public Connect {
      Objects.requireNonNull(peer, "peer");
      checkTimeout(timeoutMillis);
    }

    public byte[] encode() {
      return new WireWriter(80).string(peer).u32(timeoutMillis).toByteArray();
    }

    public static Connect decode(byte[] payload) {
      WireReader in = new WireReader(payload);
      Connect c = new Connect(in.string(MAX_NAME_BYTES, "peer name"), timeout(in));
      in.expectEnd("channel connect");
      return c;
    }
  }

  /** {@link FrameType#CHANNEL_ACCEPT}: wait that long for a connecting enclave. */
  public record Accept(int timeoutMillis) {
    public Accept {
      checkTimeout(timeoutMillis);
    }

    public byte[] encode() {
      return new WireWriter(4).u32(timeoutMillis).toByteArray();
    }

    public static Accept decode(byte[] payload) {
      WireReader in = new WireReader(payload);
      Accept a = new Accept(timeout(in));
      in.expectEnd("channel accept");
      return a;
    }
  }

  /** The answer to an accept: the new channel's id and the name the connecting enclave has. */
  public record Accepted(long channel, String peer) {
    public Accepted {
      Objects.requireNonNull(peer, "peer");
    }

    public byte[] encode() {
      return new WireWriter(80).u64(channel).string(peer).toByteArray();
    }

    public static Accepted decode(byte[] payload) {
      WireReader in = new WireReader(payload);
      Accepted a = new Accepted(in.u64("channel id"), in.string(MAX_NAME_BYTES, "peer name"));
      in.expectEnd("channel accepted");
      return a;
    }
  }

  /** {@link FrameType#CHANNEL_SEND} and {@link FrameType#CHANNEL_DELIVER}: opaque bytes. */
  public record Data(long channel, byte[] bytes) {
    public Data {
      Objects.requireNonNull(bytes, "bytes");
    }

    public byte[] encode() {
      return new WireWriter(12 + bytes.length).u64(channel).bytes(bytes).toByteArray();
    }

    /** Decodes, refusing more than {@code maxBytes} of data. */
    public static Data decode(byte[] payload, int maxBytes) {
      WireReader in = new WireReader(payload);
      Data d = new Data(in.u64("channel id"), in.bytes(maxBytes, "channel data"));
      in.expectEnd("channel data");
      return d;
    }
  }

  /** {@link FrameType#CHANNEL_CLOSE} and {@link FrameType#CHANNEL_CLOSED}: which, and why. */
  public record Close(long channel, String reason) {
    public Close {
      Objects.requireNonNull(reason, "reason");
    }

    public byte[] encode() {
      return new WireWriter(16 + reason.length()).u64(channel).string(reason).toByteArray();
    }

    public static Close decode(byte[] payload) {
      WireReader in = new WireReader(payload);
      Close c = new Close(in.u64("channel id"), in.string(MAX_REASON_BYTES, "close reason"));
      in.expectEnd("channel close");
      return c;
    }
  }

  /** The channel id of an OK answer to a connect. */
  public static long decodeChannelId(byte[] payload) {
    WireReader in = new WireReader(payload);
    long id = in.u64("channel id");
    in.expectEnd("channel id");
    return id;
  }

  public static byte[] encodeChannelId(long id) {
    return new WireWriter(8).u64(id).toByteArray();
  }

  private static int timeout(WireReader in) {
    int t = in.u32("timeout");
    if (t < 0 || t > MAX_TIMEOUT_MILLIS) {
      throw new ProtocolException("timeout of " + Integer.toUnsignedString(t)
          + " ms is out of range (0 to " + MAX_TIMEOUT_MILLIS + ")");
    }
    return t;
  }

  private static void checkTimeout(int timeoutMillis) {
    if (timeoutMillis < 0 || timeoutMillis > MAX_TIMEOUT_MILLIS) {
      throw new IllegalArgumentException("timeout must be 0 to " + MAX_TIMEOUT_MILLIS
          + " ms, got " + timeoutMillis);
    }
  }
}
