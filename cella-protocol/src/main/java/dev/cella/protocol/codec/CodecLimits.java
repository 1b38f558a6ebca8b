package dev.cella.protocol.codec;

import dev.cella.EnclaveLimits;

/**
 * The limits a {@link ServiceCodec} enforces on every message it encodes or decodes: the largest
 * message in bytes and the deepest nesting of containers (records, lists, sets, maps, optionals)
 * in one value. They come from the enclave's manifest ({@link EnclaveLimits#maxFrameBytes()},
 * {@link EnclaveLimits#maxNestingDepth()}).
 *
 * <p>Example: {@code CodecLimits.of(manifest.limits())} or {@code new CodecLimits(1 << 20, 32)}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param maxMessageBytes the largest encoded message, version byte included ({@value
 *     #MIN_MESSAGE_BYTES} to {@link Integer#MAX_VALUE} - 8)
 * @param maxNestingDepth the most containers nested in one value ({@value #MIN_NESTING_DEPTH} to
 *     {@value #MAX_NESTING_DEPTH}); a top-level {@code List<String>} has depth 1
 */
public record CodecLimits(int maxMessageBytes, int maxNestingDepth) {
  /** The smallest message limit: room for any failure outcome the codec itself produces. */
  public static final int MIN_MESSAGE_BYTES = 128;
  /** The smallest nesting limit. */
  public static final int MIN_NESTING_DEPTH = 1;
  /** The largest nesting limit; the decoder recurses once per level. */
  public static final int MAX_NESTING_DEPTH = 256;

  /** The limits of a manifest that names none. */
  public static final CodecLimits DEFAULT = of(EnclaveLimits.DEFAULT);

  public CodecLimits {
    if (maxMessageBytes < MIN_MESSAGE_BYTES || maxMessageBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "maxMessageBytes must be " + MIN_MESSAGE_BYTES + " to " + (Integer.MAX_VALUE - 8)
              + ", got " + maxMessageBytes);
    }
    if (maxNestingDepth < MIN_NESTING_DEPTH || maxNestingDepth > MAX_NESTING_DEPTH) {
      throw new IllegalArgumentException(
          "maxNestingDepth must be " + MIN_NESTING_DEPTH + " to " + MAX_NESTING_DEPTH + ", got "
              + maxNestingDepth);
    }
  }

  /** The codec limits of an enclave's manifest limits. */
  public static CodecLimits of(EnclaveLimits limits) {
    return new CodecLimits(limits.maxFrameBytes(), limits.maxNestingDepth());
  }
}
