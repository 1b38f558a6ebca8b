package dev.cella.protocol;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.spi.FrameParts;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds and reads frames: {@code [version u8][type u8][payload]}. Version 1 is the only one so
 * far; a frame of another version is refused, which is how a host and an enclave runtime of
 * different releases find out before anything else is read.
 *
 * <p>Stateless and thread-safe.
 */
public final class Frames {
  /** The frame format version this runtime speaks. */
  public static final int VERSION = 1;
  /** Bytes before the payload. */
  public static final int HEADER = 2;
  /** The longest error message carried; longer ones are cut. */
  public static final int MAX_ERROR_MESSAGE_BYTES = 4096;

  private static final byte[] EMPTY = new byte[0];

  private Frames() {}

  /** A frame of {@code type} carrying {@code payload}. */
  public static byte[] frame(FrameType type, byte[] payload) {
    byte[] frame = new byte[HEADER + payload.length];
    frame[0] = VERSION;
    frame[1] = (byte) type.code();
    System.arraycopy(payload, 0, frame, HEADER, payload.length);
    return frame;
  }

  /** The two header bytes of a frame of {@code type}, e.g. to write a payload straight after. */
  public static byte[] header(FrameType type) {
    return new byte[] {VERSION, (byte) type.code()};
  }

  /**
   * A frame of {@code type} carrying {@code payload}, in two parts: its header and the payload
   * itself, not copied ({@link FrameParts}).
   */
  public static FrameParts parts(FrameType type, byte[] payload) {
    return new FrameParts(header(type), payload);
  }

  /** Whether {@code frame} came as a header of this version and {@code type} and its payload. */
  public static boolean isSplit(FrameParts frame, FrameType type) {
    byte[] head = frame.head();
    return head.length == HEADER && head[0] == VERSION && head[1] == (byte) type.code();
  }

  /**
   * {@link #result(byte[])} for a response in two parts: an {@code OK} response whose payload
   * came apart from its header is returned as it is, without a copy.
   */
  public static byte[] result(FrameParts response) {
    if (isSplit(response, FrameType.OK)) {
      return response.body();
    }
    return result(response.joined());
  }

  /** A success frame carrying {@code result}. */
  public static byte[] ok(byte[] result) {
    return frame(FrameType.OK, result);
  }

  /** A failure frame with {@code code} and {@code message} (cut at the limit, on a character). */
  public static byte[] error(Code code, String message) {
    byte[] text = message.getBytes(StandardCharsets.UTF_8);
    if (text.length > MAX_ERROR_MESSAGE_BYTES) {
      text = truncateUtf8(text, MAX_ERROR_MESSAGE_BYTES);
    }
    byte[] frame = new byte[HEADER + 1 + text.length];
    frame[0] = VERSION;
    frame[1] = (byte) FrameType.ERROR.code();
    frame[2] = (byte) code.number();
    System.arraycopy(text, 0, frame, HEADER + 1, text.length);
    return frame;
  }

  /** A failure frame for {@code e}. */
  public static byte[] error(EnclaveException e) {
    return error(e.code(), e.getMessage() == null ? "" : e.getMessage());
  }

  /** The type of a frame from the other side; refuses short frames, other versions, unknown types. */
  public static FrameType type(byte[] frame) {
    if (frame == null || frame.length < HEADER) {
      throw new ProtocolException(
          "frame of " + (frame == null ? 0 : frame.length) + " bytes is shorter than its header");
    }
    if (frame[0] != VERSION) {
      throw new ProtocolException(
          "frame version " + (frame[0] & 0xFF) + " is not supported (this runtime speaks "
              + VERSION + ")");
    }
    FrameType type = FrameType.forCodeOrNull(frame[1]);
    if (type == null) {
      throw new ProtocolException("unknown frame type 0x" + Integer.toHexString(frame[1] & 0xFF));
    }
    return type;
  }

  /** A copy of the frame's payload. */
  public static byte[] payload(byte[] frame) {
    return frame.length == HEADER ? EMPTY : Arrays.copyOfRange(frame, HEADER, frame.length);
  }

  /**
   * The result of a response frame: its payload when it is {@code OK}; throws the {@link
   * EnclaveException} an {@code ERROR} frame carries; refuses any other frame.
   */
  public static byte[] result(byte[] response) {
    return payload(requireOk(response));
  }

  /**
   * The response frame itself when it is {@code OK}, so that its payload can be read in place from
   * offset {@link #HEADER}; throws as {@link #result(byte[])} otherwise.
   */
  public static byte[] requireOk(byte[] response) {
    FrameType type = type(response);
    if (type == FrameType.OK) {
      return response;
    }
    if (type == FrameType.ERROR) {
      throw failure(response);
    }
    throw new ProtocolException("expected a response frame, got " + type);
  }

  /** The exception an {@code ERROR} frame carries. */
  public static EnclaveException failure(byte[] errorFrame) {
    if (errorFrame.length < HEADER + 1) {
      return new ProtocolException("error frame without a code");
    }
    Code code = Code.forNumber(errorFrame[HEADER] & 0xFF);
    if (code == Code.OK) {
      return new ProtocolException("error frame with code OK");
    }
    String message = new String(
        errorFrame, HEADER + 1, errorFrame.length - HEADER - 1, StandardCharsets.UTF_8);
    return new EnclaveException(code, message);
  }

  private static byte[] truncateUtf8(byte[] text, int max) {
    int cut = max;
    while (cut > 0 && (text[cut] & 0xC0) == 0x80) {
      cut--;
    }
    return Arrays.copyOf(text, cut);
  }
}
