package dev.cella.maven;

import dev.cella.EnclaveLimits;

/**
 * The {@code <limits>} element of the {@code bundle} goal: the resource limits written into the
 * manifest. A limit left out keeps its default ({@link EnclaveLimits#DEFAULT}).
 *
 * <pre>{@code
 * <limits>
 *   <heapMebibytes>512</heapMebibytes>
 *   <threads>16</threads>
 *   <maxFrameBytes>1048576</maxFrameBytes>
 *   <maxNestingDepth>32</maxNestingDepth>
 * </limits>
 * }</pre>
 *
 * <p>A mutable bean that Maven fills from the configuration; not thread-safe.
 */
public final class LimitsConfig {
  /** The enclave's maximum heap in MiB. */
  Integer heapMebibytes;
  /** The most host threads inside the enclave at once. */
  Integer threads;
  /** The largest frame that crosses the boundary, in bytes. */
  Integer maxFrameBytes;
  /** The deepest nesting of values in one typed call. */
  Integer maxNestingDepth;

  /** An empty configuration: every limit at its default. */
  public LimitsConfig() {}

  /**
   * The limits, each given one or its default.
   *
   * @throws IllegalArgumentException naming a limit out of its range
   */
  public EnclaveLimits toLimits() {
    EnclaveLimits d = EnclaveLimits.DEFAULT;
    return new EnclaveLimits(
        heapMebibytes != null ? heapMebibytes : d.heapMebibytes(),
        threads != null ? threads : d.threads(),
        maxFrameBytes != null ? maxFrameBytes : d.maxFrameBytes(),
        maxNestingDepth != null ? maxNestingDepth : d.maxNestingDepth());
  }
}
