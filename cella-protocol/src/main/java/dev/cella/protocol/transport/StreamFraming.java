package dev.cella.protocol.transport;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * The wire format of a {@link StreamEndpoint}: after an 8-byte hello each way ({@code "CELS"} and
 * the version, big-endian u32), messages as length-prefixed records:
 *
 * <pre>
 * offset size
 *   0    u32 payload length (at most the reader's limit, checked before anything is allocated)
 *   4    u8  kind: 2 request, 3 response, 4 abort (the handler could not answer)
 *   5    u8  flags: 0
 *   6    u16 reserved: 0
 *   8    u64 call id (the requesting side's)
 *  16    u64 parent id (a request nested in the reader's call of that id; else 0)
 *  24    payload
 * </pre>
 *
 * All integers big-endian. Anything else — an unknown kind, non-zero flags or reserved bytes, a
 * response naming a parent, a length over the limit, the stream ending inside a record — breaks
 * the channel.
 *
 * <p>Stateless and thread-safe; a reader and a writer each use their own stream.
 */
final class StreamFraming {
  private static final byte[] EMPTY = new byte[0];

  static final int MAGIC = 0x43454C53; // "CELS"
  static final int VERSION = 1;
  static final int HEADER_BYTES = 24;

  private StreamFraming() {}

  static void writeHello(OutputStream out) throws IOException {
    ByteBuffer hello = ByteBuffer.allocate(8).putInt(MAGIC).putInt(VERSION);
    out.write(hello.array());
    out.flush();
  }

  /**
   * Reads and checks the other side's hello.
   *
   * @return false when the stream ended before it (the other side is gone)
   * @throws TransportException when it is not a hello of this version
   */
  static boolean readHello(InputStream in) throws IOException {
    byte[] hello = new byte[8];
    if (!readFully(in, hello, 0, 8, true)) {
      return false;
    }
    ByteBuffer b = ByteBuffer.wrap(hello);
    int magic = b.getInt();
    int version = b.getInt();
    if (magic != MAGIC) {
      throw new TransportException("the other side does not speak the Cella stream protocol");
    }
    if (version != VERSION) {
      throw new TransportException("stream protocol version " + version + " is not supported");
    }
    return true;
  }

  /** Writes one record; the caller serializes writers and flushes. */
  static void write(OutputStream out, byte kind, long callId, long parentId, byte[] payload)
      throws IOException {
    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).putInt(payload.length).put(kind)
        .put((byte) 0).putShort((short) 0).putLong(callId).putLong(parentId);
    out.write(header.array());
    out.write(payload);
  }

  /**
   * Reads one record.
   *
   * @return the message, or null when the stream ended cleanly between records
   * @throws TransportException for anything but a well-formed record within {@code maxPayload}
   */
  static Message read(InputStream in, int maxPayload) throws IOException {
    byte[] head = new byte[HEADER_BYTES];
    if (!readFully(in, head, 0, HEADER_BYTES, true)) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(head);
    long length = Integer.toUnsignedLong(b.getInt());
    byte kind = b.get();
    byte flags = b.get();
    short reserved = b.getShort();
    long callId = b.getLong();
    long parentId = b.getLong();
    if (kind != RingLayout.KIND_REQUEST && kind != RingLayout.KIND_RESPONSE
        && kind != RingLayout.KIND_ABORT) {
      throw new TransportException("a record of unknown kind " + kind);
    }
    if (flags != 0 || reserved != 0) {
      throw new TransportException("a record with unknown flags");
    }
    if (kind != RingLayout.KIND_REQUEST && parentId != 0) {
      throw new TransportException("a response names a parent call");
    }
    if (length > maxPayload) {
      throw new TransportException("a message of " + length + " bytes exceeds the limit of "
          + maxPayload + " bytes");
    }
    byte[] payload = new byte[(int) length];
    readFully(in, payload, 0, payload.length, false);
    return new Message(kind, callId, parentId, EMPTY, payload);
  }

  /**
   * Fills {@code buffer}; false when the stream ends before the first byte and {@code endOk}.
   *
   * @throws EOFException when it ends after the first byte
   */
  private static boolean readFully(InputStream in, byte[] buffer, int offset, int length,
      boolean endOk) throws IOException {
    int filled = 0;
    while (filled < length) {
      int read = in.read(buffer, offset + filled, length - filled);
      if (read < 0) {
        if (filled == 0 && endOk) {
          return false;
        }
        throw new EOFException("the stream ended inside a record");
      }
      filled += read;
    }
    return true;
  }
}
