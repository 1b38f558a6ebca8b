package dev.cella.bench.peer;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The far end of the Aeron IPC ping-pong: an Aeron client of the media driver whose directory it
 * is given. It answers every 8-byte message on {@link #PING_STREAM} ({@code aeron:ipc}) with the
 * same 8 bytes on {@link #PONG_STREAM}, polling as {@link SharedMemoryPong#pause} does, and stops
 * at the message {@link #STOP}. Aeron's IPC streams go straight from the publisher's log buffer
 * to the subscriber's poll, both mapped from the driver's directory; the driver only manages them.
 */
public final class AeronPong {
  /** The channel of both streams: Aeron's shared-memory transport. */
  public static final String CHANNEL = "aeron:ipc";
  /** The stream towards the peer. */
  public static final int PING_STREAM = 1001;
  /** The stream back. */
  public static final int PONG_STREAM = 1002;
  /** The message that stops the peer. */
  public static final long STOP = -1;

  private AeronPong() {}

  /**
   * Offers {@code length} bytes of {@code message}, again while the publication is back-pressured
   * or rotating a term, for at most 10 s, pausing between tries as {@link SharedMemoryPong#pause}
   * does: back-pressure lasts until the driver's thread raises the publication's limit, and a try
   * that only spun would keep that thread from a core of this 2-core machine.
   *
   * @throws IllegalStateException if the stream is not connected, closed, or full for 10 s
   */
  public static void offer(Publication publication, UnsafeBuffer message, int length) {
    long start = 0;
    long spun = 0;
    int polls = 0;
    while (true) {
      long result = publication.offer(message, 0, length);
      if (result > 0) {
        return;
      }
      if (result != Publication.BACK_PRESSURED && result != Publication.ADMIN_ACTION) {
        throw new IllegalStateException("Aeron refused the message: " + result);
      }
      if (start == 0) {
        start = System.nanoTime();
      } else if (SharedMemoryPong.readsClock(++polls, spun)) {
        spun = System.nanoTime() - start;
        if (spun > TimeUnit.SECONDS.toNanos(10)) {
          throw new IllegalStateException("Aeron stayed back-pressured for 10 s");
        }
      }
      SharedMemoryPong.pause(spun);
    }
  }

  public static void main(String[] args) {
    SharedMemoryPong.exitWithParent();
    Aeron.Context context = new Aeron.Context();
    context.aeronDirectoryName(args[0]);
    try (Aeron aeron = Aeron.connect(context);
        Subscription in = aeron.addSubscription(CHANNEL, PING_STREAM);
        ExclusivePublication out = aeron.addExclusivePublication(CHANNEL, PONG_STREAM)) {
      UnsafeBuffer reply = new UnsafeBuffer(new byte[8]);
      boolean[] stop = {false};
      FragmentHandler answer = (buffer, offset, length, header) -> {
        long ping = buffer.getLong(offset);
        if (ping == STOP) {
          stop[0] = true;
          return;
        }
        reply.putLong(0, ping);
        offer(out, reply, 8);
      };
      long idleSince = System.nanoTime();
      long spun = 0;
      int polls = 0;
      while (!stop[0]) {
        if (in.poll(answer, 1) > 0) {
          idleSince = System.nanoTime();
          spun = 0;
          polls = 0;
        } else {
          if (SharedMemoryPong.readsClock(++polls, spun)) {
            spun = System.nanoTime() - idleSince;
          }
          SharedMemoryPong.pause(spun);
        }
      }
    }
  }
}
