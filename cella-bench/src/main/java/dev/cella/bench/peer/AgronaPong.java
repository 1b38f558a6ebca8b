package dev.cella.bench.peer;

import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * The far end of the Agrona ping-pong: two single-producer/single-consumer ring buffers of
 * Agrona (the library Aeron's IPC is built on, {@code org.agrona:agrona}) in the file it is given,
 * one each way; it answers every message on the first with the same 8 bytes on the second,
 * polling as {@link SharedMemoryPong#pause} does. A message of type {@link #STOP} ends it. Aeron
 * itself ({@code io.aeron:aeron-all}) does not resolve from this build's repository; this is the
 * closest well-kept shared-memory messaging library that does.
 */
public final class AgronaPong {
  /** The data bytes of each ring (a power of two). */
  public static final int CAPACITY = 64 * 1024;
  /** The bytes of each ring in the file, with Agrona's trailer. */
  public static final int RING_BYTES = CAPACITY + RingBufferDescriptor.TRAILER_LENGTH;
  /** The file's size: the ring to the peer, then the ring back. */
  public static final int FILE_BYTES = 2 * RING_BYTES;
  /** The message type of a ping (and of its answer). */
  public static final int PING = 1;
  /** The message type that stops the peer. */
  public static final int STOP = 2;
  /** The message type the peer sends once, when it is ready. */
  public static final int READY = 3;

  private AgronaPong() {}

  /** The two rings of {@code file}: [0] towards the peer, [1] back. */
  public static OneToOneRingBuffer[] rings(MappedByteBuffer file) {
    return new OneToOneRingBuffer[] {
        new OneToOneRingBuffer(new UnsafeBuffer(file, 0, RING_BYTES)),
        new OneToOneRingBuffer(new UnsafeBuffer(file, RING_BYTES, RING_BYTES))};
  }

  public static void main(String[] args) throws Exception {
    MappedByteBuffer file;
    try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      file = channel.map(FileChannel.MapMode.READ_WRITE, 0, FILE_BYTES);
    }
    OneToOneRingBuffer[] rings = rings(file);
    OneToOneRingBuffer in = rings[0];
    OneToOneRingBuffer out = rings[1];
    UnsafeBuffer reply = new UnsafeBuffer(new byte[8]);
    while (!out.write(READY, reply, 0, 8)) {
      Thread.onSpinWait();
    }
    boolean[] stop = {false};
    long idleSince = System.nanoTime();
    long spun = 0;
    int polls = 0;
    while (!stop[0]) {
      int read = in.read((type, buffer, index, length) -> {
        if (type == STOP) {
          stop[0] = true;
          return;
        }
        reply.putLong(0, buffer.getLong(index));
        while (!out.write(PING, reply, 0, 8)) {
          Thread.onSpinWait();
        }
      });
      if (read > 0) {
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
