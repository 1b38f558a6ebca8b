package dev.cella.protocol.transport;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The answers one side received that none of its calls waited for — answers to calls never made,
 * second answers to one call: protocol violations by the other side (or answers that came after
 * their caller gave up), dropped and reported here. Counted, and logged at WARNING the 1st, 2nd,
 * 4th, 8th… time, so that a peer sending them by the million cannot flood the log.
 *
 * <p>Thread-safe.
 */
final class StrayAnswers {
  private static final System.Logger LOG = System.getLogger(StrayAnswers.class.getName());

  private final AtomicLong count = new AtomicLong();

  /** Records one stray answer to {@code callId} on the channel called {@code channelName}. */
  void report(String channelName, long callId) {
    long n = count.incrementAndGet();
    if (Long.bitCount(n) == 1) {
      LOG.log(System.Logger.Level.WARNING, "{0}: dropped an answer to call {1} that no caller"
          + " waits for (late, duplicated or forged by the other side); {2} so far", channelName,
          Long.toUnsignedString(callId), n);
    }
  }

  long count() {
    return count.get();
  }
}
