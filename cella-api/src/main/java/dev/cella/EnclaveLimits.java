package dev.cella;

/**
 * Resource limits an enclave runs under, from its manifest. A backend enforces what its isolation
 * allows: every backend enforces the frame limits, the nesting depth and the thread limit (in the
 * enclave runtime, common to all); the sim backend shares the host's heap and cannot bound it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param heapMebibytes the enclave's maximum heap in MiB
 * @param threads the most host calls inside the enclave's application at once (a {@code run},
 *     service call or bind, while it is inside; a call nested in one of the
 *     enclave's own host calls counts with the call it is nested in); one more fails with {@code
 *     RESOURCE_EXHAUSTED}
 * @param maxFrameBytes the largest frame that crosses the boundary, in bytes
 * @param maxNestingDepth the deepest nesting of values in one typed call
 */
public record EnclaveLimits(int heapMebibytes, int threads, int maxFrameBytes, int maxNestingDepth) {
  /** The defaults of a manifest that names no limits. */
  public static final EnclaveLimits DEFAULT = new EnclaveLimits(256, 64, 16 << 20, 32);

  /** The smallest frame limit a manifest may set. */
  public static final int MIN_FRAME_BYTES = 4 << 10;
  /** The largest frame limit a manifest may set. */
  public static final int MAX_FRAME_BYTES = 1 << 30;

  public EnclaveLimits {
    check("heapMebibytes", heapMebibytes, 16, 1 << 20);
    check("threads", threads, 1, 4096);
    check("maxFrameBytes", maxFrameBytes, MIN_FRAME_BYTES, MAX_FRAME_BYTES);
    check("maxNestingDepth", maxNestingDepth, 1, 256);
  }

  private static void check(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          "limit " + name + " must be " + min + " to " + max + ", got " + value);
    }
  }
}
