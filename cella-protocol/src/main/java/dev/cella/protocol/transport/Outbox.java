package dev.cella.protocol.transport;

import static dev.cella.protocol.transport.RingLayout.FIRST;
import static dev.cella.protocol.transport.RingLayout.LAST;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The ring one side writes: one message at a time, in records of at most {@link
 * RingLayout#maxChunk} bytes,
 * ringing the doorbell when the other side asked for it. A writer that holds the read token keeps
 * reading while it waits, for the lock or for room, or two full rings could deadlock. A ring that
 * stays too full for one record for the write timeout means the other side stopped reading (it
 * is stuck, stopped or hostile): the channel then fails with {@code UNAVAILABLE} instead of
 * blocking the writer forever.
 *
 * <p>The enclave's side also rings the host's doorbell thread at the first record of every
 * request nested in no call, asked or not: the host asks for rings only while one of its callers
 * waits ({@link Inbox}), and nothing else would wake the thread that serves such a request.
 *
 * <p>Thread-safe.
 */
final class Outbox {
  private static final byte[] EMPTY = new byte[0];

  private final RingWriter writer;
  private final Doorbell doorbell;
  private final Inbox inbox;
  private final ChannelState state;
  private final long writeTimeoutNanos;
  private final boolean ringsEveryRequest;
  private final ReentrantLock lock = new ReentrantLock();

  /**
   * @param ringsEveryRequest the enclave's side: ring the other side's doorbell thread for each
   *     request nested in no call, whether it asked for rings or not
   */
  Outbox(RingWriter writer, Doorbell doorbell, Inbox inbox, ChannelState state,
      Duration writeTimeout, boolean ringsEveryRequest) {
    this.writer = writer;
    this.doorbell = doorbell;
    this.inbox = inbox;
    this.state = state;
    this.writeTimeoutNanos = writeTimeout.toNanos();
    this.ringsEveryRequest = ringsEveryRequest;
  }

  /**
   * Writes one message.
   *
   * @return whether it rang the doorbell for the other side, which was asleep, so that an answer
   *     cannot come sooner than a wake-up and polling for it only takes a core from the thread
   *     being woken — unless the ring came at a record before the last and the other side has
   *     read some of the message by the time the last went in: a large message rings at its
   *     first record, and the other side is then often up and reading long before the writer is
   *     done, so its answer is worth polling for. (Not so after the last record: Linux often
   *     runs the woken thread at once on the ringer's core, so that it has read the message
   *     before the ringer looks, although it was asleep.)
   * @throws TransportException once the channel has failed, or when the other side reads
   *     nothing for the write timeout while this side waits for room
   */
  boolean send(byte kind, long callId, long parentId, byte[] payload) {
    return send(kind, callId, parentId, EMPTY, payload);
  }

  /**
   * Writes one message made of {@code head} then {@code body}, stating the head's length so that
   * the reader can deliver the two apart ({@link MessageAssembler}); neither is copied into a
   * joined array on the way.
   *
   * @see #send(byte, long, long, byte[])
   */
  boolean send(byte kind, long callId, long parentId, byte[] head, byte[] body) {
    if (head.length > RingLayout.MAX_HEAD) {
      throw new IllegalArgumentException("a message's head has at most " + RingLayout.MAX_HEAD
          + " bytes, got " + head.length);
    }
    lockForWriting();
    boolean rang = false;
    boolean rangEarly = false;
    boolean unasked = ringsEveryRequest && kind == RingLayout.KIND_REQUEST && parentId == 0;
    long start = writer.position();
    try {
      int total = head.length + body.length;
      int offset = 0;
      do {
        int length = Math.min(writer.maxChunk(), total - offset);
        byte flags = (byte) ((offset == 0 ? FIRST : 0) | (offset + length == total ? LAST : 0));
        int headLength = offset == 0 ? head.length : 0;
        int round = 0;
        long stalledSince = 0;
        while (!writer.tryWrite(kind, flags, callId, parentId, total, headLength, head, body,
            offset, length)) {
          state.check();
          if (inbox.holdsToken()) {
            inbox.safePump(null, false);
          }
          // The clock only as often as a polling loop reads it: a timeout of seconds needs no
          // finer one, and room is seen sooner.
          if (round == 0) {
            stalledSince = System.nanoTime();
          } else if (SpinBudget.readsClock(round, 0)
              && System.nanoTime() - stalledSince > writeTimeoutNanos) {
            state.fail(state.name() + ": the other side read nothing for "
                + Duration.ofNanos(writeTimeoutNanos).toMillis() + " ms while its ring was too"
                + " full for the next record: it stopped reading");
            throw state.unavailable();
          }
          round = pause(round);
        }
        boolean first = offset == 0;
        offset += length;
        if (writer.takeWakeRequest()) {
          ring(kind != RingLayout.KIND_REQUEST || parentId != 0);
          rang = true;
          rangEarly |= offset < total;
        } else if (unasked && first) {
          // Not asked: the host's callers poll, but the thread that serves this sleeps.
          ring(false);
        }
      } while (offset < total);
      return rang && !(rangEarly && writer.consumerPosition() > start);
    } catch (TransportException | IllegalStateException e) {
      state.broken(e);
      throw state.unavailable();
    } finally {
      lock.unlock();
    }
  }

  private void lockForWriting() {
    if (!inbox.holdsToken()) {
      lock.lock();
      return;
    }
    int round = 0;
    while (!lock.tryLock()) {
      state.check();
      inbox.safePump(null, false);
      round = pause(round);
    }
  }

  private void ring(boolean forCaller) {
    try {
      doorbell.ring(forCaller);
    } catch (IOException e) {
      state.fail(state.name() + ": the other side is gone (" + e.getMessage() + ")");
      throw state.unavailable();
    }
  }

  private static int pause(int round) {
    if (round < 100) {
      Thread.onSpinWait();
    } else if (round < 200) {
      Thread.yield();
    } else {
      LockSupport.parkNanos(Math.min(1_000_000L, 1_000L << Math.min(10, (round - 200) / 16)));
    }
    return round + 1;
  }
}
