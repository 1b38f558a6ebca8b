package dev.cella.protocol.transport;

/**
 * How long to poll before parking, adapted to recent waits: about twice the usual wait, between a
 * floor and a ceiling, or just the floor when the usual wait is longer than the ceiling (the other
 * side is idle, not slow). Without adapting, a loaded machine settles into a slow mode where each
 * wake-up takes longer than the fixed budget, so every call goes through the doorbell. The
 * average is kept racily: a lost update only shifts a heuristic.
 *
 * <p>Thread-safe.
 */
final class SpinBudget {
  /** Polling with {@link Thread#onSpinWait} for this long, then with {@link Thread#yield}. */
  private static final long HOT_NANOS = 10_000;

  private final long floorNanos;
  private final long ceilingNanos;
  private volatile long averageNanos;

  SpinBudget(long floorNanos, long ceilingNanos) {
    this.floorNanos = floorNanos;
    this.ceilingNanos = Math.max(floorNanos, ceilingNanos);
  }

  /** The polling budget now. */
  long nanos() {
    long average = averageNanos;
    if (average > ceilingNanos) {
      return floorNanos;
    }
    return Math.max(floorNanos, Math.min(ceilingNanos, 2 * average));
  }

  /**
   * The polling budget after an answer that had to ring the other side, whose caller was asleep:
   * none when requests come further apart than the ceiling (the caller comes back after a pause,
   * and polling meanwhile would only take a core from the thread the ring wakes), else the usual
   * {@link #nanos()} (the caller comes straight back: without polling, its next request would
   * ring too, and its next answer, and so on — one late answer would make every later call pay
   * two wake-ups).
   */
  long afterRingNanos() {
    return averageNanos > ceilingNanos ? 0 : nanos();
  }

  /** Records how long a wait took. */
  void record(long nanos) {
    long average = averageNanos;
    averageNanos = average + ((Math.max(0, nanos) - average) >> 2);
  }

  /**
   * Whether a poll that has run for {@code spunNanos} (as last read) should read the clock again
   * at its {@code polls}-th round. While it spins, only every 8th round does: reading the clock
   * costs about as much here as a round's spin hint (about 25 ns each), so reading it every
   * round made each round twice as long, and an answer that arrives is seen that much later; a
   * budget of microseconds needs no finer clock. Once it yields (each round a system call), every
   * round reads it.
   */
  static boolean readsClock(int polls, long spunNanos) {
    return (polls & 7) == 0 || spunNanos >= HOT_NANOS;
  }

  /**
   * One pause of a poll that has run for {@code spunNanos}: a spin hint at first, then a yield,
   * so that a poller on a busy machine gives its core to other threads — maybe the one it waits
   * for.
   */
  static void pause(long spunNanos) {
    if (spunNanos < HOT_NANOS) {
      Thread.onSpinWait();
    } else {
      Thread.yield();
    }
  }
}
