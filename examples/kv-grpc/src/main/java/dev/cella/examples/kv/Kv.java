package dev.cella.examples.kv;

import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * The key-value service's gRPC methods, written by hand (no protoc): {@code Put(key, value)} and
 * {@code Get(key) → optional value}. Messages are simple length-prefixed bytes. Shared by the
 * enclave (server) and its clients.
 *
 * <p>Thread-safe (constants).
 */
public final class Kv {
  /** The longest key, in bytes. */
  public static final int MAX_KEY = 256;
  /** The longest value, in bytes. */
  public static final int MAX_VALUE = 1 << 20;

  /** A key and its value. */
  public record Entry(byte[] key, byte[] value) {}

  public static final MethodDescriptor<Entry, byte[]> PUT = MethodDescriptor.<Entry, byte[]>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY)
      .setFullMethodName("cella.examples.Kv/Put")
      .setRequestMarshaller(new EntryMarshaller())
      .setResponseMarshaller(new BytesMarshaller(0))
      .build();

  public static final MethodDescriptor<byte[], Optional<byte[]>> GET =
      MethodDescriptor.<byte[], Optional<byte[]>>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("cella.examples.Kv/Get")
          .setRequestMarshaller(new BytesMarshaller(MAX_KEY))
          .setResponseMarshaller(new OptionalMarshaller())
          .build();

  private Kv() {}

  static byte[] read(InputStream stream, int max) {
    try {
      byte[] bytes = stream.readNBytes(max + 1);
      if (bytes.length > max) {
        throw new IllegalArgumentException("message longer than " + max + " bytes");
      }
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Raw bytes, at most {@code max}. */
  record BytesMarshaller(int max) implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      return read(stream, max);
    }
  }

  /** {@code [u16 key length][key][value]}. */
  static final class EntryMarshaller implements MethodDescriptor.Marshaller<Entry> {
    @Override
    public InputStream stream(Entry entry) {
      return new ByteArrayInputStream(ByteBuffer.allocate(2 + entry.key().length + entry.value().length)
          .putShort((short) entry.key().length).put(entry.key()).put(entry.value()).array());
    }

    @Override
    public Entry parse(InputStream stream) {
      byte[] bytes = read(stream, 2 + MAX_KEY + MAX_VALUE);
      if (bytes.length < 2) {
        throw new IllegalArgumentException("truncated entry");
      }
      int keyLength = ((bytes[0] & 0xFF) << 8) | (bytes[1] & 0xFF);
      if (keyLength > MAX_KEY || 2 + keyLength > bytes.length) {
        throw new IllegalArgumentException("bad key length " + keyLength);
      }
      return new Entry(Arrays.copyOfRange(bytes, 2, 2 + keyLength),
          Arrays.copyOfRange(bytes, 2 + keyLength, bytes.length));
    }
  }

  /** {@code [0]} for none, {@code [1][value]} for a value. */
  static final class OptionalMarshaller implements MethodDescriptor.Marshaller<Optional<byte[]>> {
    @Override
    public InputStream stream(Optional<byte[]> value) {
      if (value.isEmpty()) {
        return new ByteArrayInputStream(new byte[] {0});
      }
      byte[] v = value.get();
      return new ByteArrayInputStream(ByteBuffer.allocate(1 + v.length).put((byte) 1).put(v).array());
    }

    @Override
    public Optional<byte[]> parse(InputStream stream) {
      byte[] bytes = read(stream, 1 + MAX_VALUE);
      if (bytes.length == 0 || bytes[0] > 1 || (bytes[0] == 0 && bytes.length != 1)) {
        throw new IllegalArgumentException("bad optional value");
      }
      return bytes[0] == 0 ? Optional.empty() : Optional.of(Arrays.copyOfRange(bytes, 1, bytes.length));
    }
  }
}
