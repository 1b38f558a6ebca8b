package dev.cella.spi;

import java.util.Objects;

/**
 * A frame given as two parts, its {@code head} followed by its {@code body}, so that a large
 * body — the input of a call, its output — crosses the boundary without first being copied into
 * one array with the frame's header and later copied out of it again. The frame is {@code head}
 * then {@code body}; a frame that came whole has an empty head.
 *
 * <p>The arrays are not copied: whoever makes a {@code FrameParts} hands them over and must not
 * change them afterwards; whoever receives one owns them (a backend that carries the parts across
 * a boundary delivers fresh arrays).
 *
 * <pre>{@code
 * FrameParts request = new FrameParts(runHeader, input);
 * FrameParts response = connection.call(request);
 * }</pre>
 *
 * <p>Immutable as a reference holder; the arrays are shared, see above.
 *
 * @param head the frame's first bytes (its header), possibly empty
 * @param body the rest of the frame
 */
public record FrameParts(byte[] head, byte[] body) {
  private static final byte[] EMPTY = new byte[0];

  public FrameParts {
    Objects.requireNonNull(head, "head");
    Objects.requireNonNull(body, "body");
  }

  /** A frame that came as one array. */
  public static FrameParts whole(byte[] frame) {
    return new FrameParts(EMPTY, frame);
  }

  /** The frame's length: head and body. */
  public long length() {
    return (long) head.length + body.length;
  }

  /** The frame as one array: the body itself when the head is empty, else a joined copy. */
  public byte[] joined() {
    if (head.length == 0) {
      return body;
    }
    byte[] frame = new byte[head.length + body.length];
    System.arraycopy(head, 0, frame, 0, head.length);
    System.arraycopy(body, 0, frame, head.length, body.length);
    return frame;
  }
}
