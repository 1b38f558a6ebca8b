package dev.cella.testkit;

import java.lang.management.ManagementFactory;

/**
 * Fails a fuzz target whose decoder allocates more than a budget proportional to its input: a
 * decoder that sizes a buffer by a length the input merely claims passes an OutOfMemoryError check
 * on a machine with a large heap, but not this one. Counts the calling thread's heap allocations
 * (HotSpot's {@code com.sun.management.ThreadMXBean}). Work over budget is run a second time and
 * fails only if it is over budget again, so that class loading and the one-time initialization of
 * the libraries a new path uses are not charged to the input.
 *
 * <p>Example: {@code AllocationBudget.check(AllocationBudget.ALLOWANCE + 64L * input.length, () ->
 * decode(input))}.
 *
 * <p>Thread-safe (stateless).
 */
public final class AllocationBudget {
  /** A fixed allowance for the bookkeeping of a target's own assertions. */
  public static final long ALLOWANCE = 4L << 20;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** Work that may throw what its decoder documents; it must be repeatable. */
  public interface Work {
    void run() throws Exception;
  }

  private AllocationBudget() {}

  /** Runs {@code work}; fails if it allocated more than {@code maxBytes} on two runs in a row. */
  public static void check(long maxBytes, Work work) throws Exception {
    long before = THREADS.getCurrentThreadAllocatedBytes();
    try {
      work.run();
    } finally {
      if (THREADS.getCurrentThreadAllocatedBytes() - before > maxBytes) {
        again(maxBytes, work);
      }
    }
  }

  private static void again(long maxBytes, Work work) {
    long before = THREADS.getCurrentThreadAllocatedBytes();
    try {
      work.run();
    } catch (Exception | Error sameAsFirstRun) {
      // the first run's outcome is what the caller sees
    }
    long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
    if (allocated > maxBytes) {
      throw new AssertionError(
          "decoding allocated " + allocated + " bytes, more than its budget of " + maxBytes);
    }
  }
}
