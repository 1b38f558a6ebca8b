package dev.cella.protocol;

import java.util.Objects;

/**
 * The payload of {@link FrameType#INVOKE} and {@link FrameType#HOST_INVOKE}: which service, which
 * method (by the codec's stable id), and the encoded arguments.
 *
 * <p>Immutable and thread-safe (the arguments array is not copied on the hot path: do not change
 * it after construction).
 *
 * @param service the service interface's binary name
 * @param methodId the method's stable id from the codec
 * @param arguments the codec's encoding of the arguments
 */
public record Invocation(String service, long methodId, byte[] arguments) {
  public static final int MAX_SERVICE_NAME_BYTES = 1024;

  public Invocation {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(arguments, "arguments");
  }

  /** The frame of {@code type} carrying this invocation. */
  public byte[] toFrame(FrameType type) {
    WireWriter out = new WireWriter(Frames.HEADER + 16 + service.length() + arguments.length);
    out.u8(Frames.VERSION).u8(type.code());
    out.string(service).u64(methodId).raw(arguments);
    return out.toByteArray();
  }

  /**
   * The bytes of a frame of {@code type} invoking {@code methodId} of {@code service} that come
   * before the arguments: a caller computes them once per method and writes each call's arguments
   * straight after them ({@link dev.cella.protocol.codec.MethodCodec#encodeArguments(byte[],
   * Object[])}).
   */
  public static byte[] header(FrameType type, String service, long methodId) {
    return new Invocation(service, methodId, new byte[0]).toFrame(type);
  }

  /**
   * Where the arguments start in an invocation frame whose service name is {@code nameLength}
   * bytes long: after the frame header, the name's u32 length and bytes, and the u64 method id.
   */
  public static int argumentsOffset(int nameLength) {
    return Frames.HEADER + 4 + nameLength + 8;
  }

  /** Reads the invocation a frame carries; a malformed frame is a {@link ProtocolException}. */
  public static Invocation fromFrame(byte[] frame) {
    if (frame.length < Frames.HEADER) {
      throw new ProtocolException(
          "invocation frame of " + frame.length + " bytes is shorter than its header");
    }
    WireReader in = new WireReader(frame, Frames.HEADER, frame.length - Frames.HEADER);
    String service = in.string(MAX_SERVICE_NAME_BYTES, "service name");
    long methodId = in.u64("method id");
    return new Invocation(service, methodId, in.rest());
  }
}
