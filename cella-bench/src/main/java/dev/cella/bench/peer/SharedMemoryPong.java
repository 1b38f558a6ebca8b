package dev.cella.bench.peer;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The far end of the raw shared-memory ping: maps the file it is given and answers every ping
 * (an odd number in word 0) with that number plus one in word 128, polling all the time. Stops at
 * ping -1. The floor a shared-memory call can reach between two JVMs.
 */
public final class SharedMemoryPong {
  static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
  /** Offset of the ping word. */
  public static final long PING = 0;
  /** Offset of the pong word, on its own cache lines. */
  public static final long PONG = 128;
  private static final long HOT_NANOS = 10_000;

  private SharedMemoryPong() {}

  /**
   * How both ends of the ping poll: a spin hint for 10 µs, then yields — as the Cella transport
   * does, so that on a machine with more runnable threads than cores the two ends do not each
   * burn a whole time slice before the other may run.
   */
  public static void pause(long spunNanos) {
    if (spunNanos < HOT_NANOS) {
      Thread.onSpinWait();
    } else {
      Thread.yield();
    }
  }

  /**
   * Whether a polling round reads the clock: every 8th round while spinning, every round once
   * yielding — the transport's rule too ({@code SpinBudget.readsClock}). A clock read costs as
   * much as a spin hint here (about 24 ns), so a loop that read it every round would react more
   * slowly than the transport's and make it look faster than it is.
   */
  public static boolean readsClock(int polls, long spunNanos) {
    return (polls & 7) == 0 || spunNanos >= HOT_NANOS;
  }

  /**
   * Ends this peer JVM as soon as the benchmark JVM that started it is gone, whichever way it went:
   * a daemon thread blocks on standard input, the pipe from the benchmark JVM, which reads its end
   * once that JVM has exited. Without it a polling peer whose benchmark was killed would spin on
   * for ever.
   */
  public static void exitWithParent() {
    Thread.ofPlatform().daemon().name("exit with the benchmark").start(() -> {
      try {
        while (System.in.read() >= 0) {
          // Nothing is sent on this pipe; it only closes.
        }
      } catch (IOException e) {
        // Closed all the same.
      }
      Runtime.getRuntime().halt(0);
    });
  }

  public static void main(String[] args) throws Exception {
    exitWithParent();
    try (FileChannel file = FileChannel.open(Path.of(args[0]), StandardOpenOption.READ,
        StandardOpenOption.WRITE); Arena arena = Arena.ofShared()) {
      MemorySegment memory = file.map(FileChannel.MapMode.READ_WRITE, 0, 4096, arena);
      LONG.setRelease(memory, PONG, -2L); // ready
      long seen = 0;
      long idleSince = System.nanoTime();
      long spun = 0;
      int polls = 0;
      while (true) {
        long ping = (long) LONG.getAcquire(memory, PING);
        if (ping == -1) {
          return;
        }
        if (ping != seen) {
          seen = ping;
          LONG.setRelease(memory, PONG, ping + 1);
          idleSince = System.nanoTime();
          spun = 0;
          polls = 0;
        } else {
          if (readsClock(++polls, spun)) {
            spun = System.nanoTime() - idleSince;
          }
          pause(spun);
        }
      }
    }
  }
}
