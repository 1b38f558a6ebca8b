package dev.cella.protocol.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Dekker pair of the host's {@link Inbox#release} and a caller that comes while it runs,
 * raced round after round on one inbox: the holder gives the token back with no caller
 * registered (so it asks for no rings), while a caller does what {@link Endpoint}'s exchange does
 * when it finds the token taken — registers, then tries for the token again. Whatever the
 * interleaving, a caller that ends up registered without the token must find the wake flag set:
 * else the enclave writes its answer without ringing, and a caller parked on a pipe doorbell
 * (which never looks at the ring itself) waits for ever. The window — the caller registering
 * after the holder decided not to ask and before it let go — is a few nanoseconds wide; random
 * spins on both sides sweep it, and without the holder's second look at the waiters after
 * letting go, a few hundred of these rounds lose the caller.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WaiterRegistrationRaceTest {
  @TempDir Path folder;

  @Test
  void aCallerRegisteringWhileTheHolderLetsGo_isSeenOrGetsTheToken() throws Exception {
    try (SharedChannel channel = SharedChannel.create(folder.resolve("channel"), 1 << 12)) {
      Endpoint.Rings rings = channel.hostRings();
      ChannelState state = new ChannelState("race");
      Inbox inbox = new Inbox(rings.reader, 1 << 16, state, m -> {}, true);
      AtomicInteger go = new AtomicInteger();     // round the caller may start
      AtomicInteger done = new AtomicInteger();   // round the caller finished
      AtomicReference<Boolean> callerHolds = new AtomicReference<>();
      AtomicReference<Waiter> callerWaiter = new AtomicReference<>();
      AtomicBoolean stop = new AtomicBoolean();
      int rounds = 300_000; // under a second here; bounded by a deadline on a slow machine
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
      Thread caller = Thread.ofPlatform().daemon().start(() -> {
        for (int round = 1; round <= rounds; round++) {
          while (go.get() < round) {
            if (stop.get()) {
              return;
            }
            Thread.onSpinWait();
          }
          jitter();
          Waiter me = new Waiter(round, Thread.currentThread());
          boolean holding = inbox.tryAcquire();
          if (!holding) {
            inbox.register(me);
            holding = inbox.tryAcquire();
          }
          callerHolds.set(holding);
          callerWaiter.set(me);
          done.set(round);
        }
      });
      int seen = 0;
      int lost = 0;
      int played = 0;
      for (int round = 1; round <= rounds && System.nanoTime() < deadline; round++) {
        assertThat(inbox.tryAcquire()).as("the holder takes the free token").isTrue();
        go.set(round);
        jitter();
        inbox.release();
        while (done.get() < round) {
          assertThat(System.nanoTime()).as("the caller's round %d", round)
              .isLessThan(deadline + TimeUnit.SECONDS.toNanos(5));
          Thread.onSpinWait();
        }
        played++;
        Waiter registered = callerWaiter.get();
        boolean holds = callerHolds.get();
        if (!holds) {
          // Registered without the token: it must have been asked for.
          seen++;
          if (channel.hostWakeFlag() == 0) {
            lost++;
          }
          inbox.unregister(registered);
        } else {
          // The caller holds it: free it for the next round (whose holder clears the flag when
          // it takes the token).
          inbox.unregister(registered);
          forceRelease(inbox);
        }
      }
      stop.set(true);
      assertThat(lost).as("rounds (of %d, %d registered without the token) in which a"
          + " registered caller without the token found no rings asked for", played, seen)
          .isZero();
    }
  }

  /** A few spin hints, 0 to 63, so that the two threads meet at every point of release. */
  private static void jitter() {
    int n = ThreadLocalRandom.current().nextInt(64);
    for (int i = 0; i < n; i++) {
      Thread.onSpinWait();
    }
  }

  /** Frees the token whoever holds it (the caller's thread took it; this thread plays it). */
  private static void forceRelease(Inbox inbox) throws ReflectiveOperationException {
    var field = Inbox.class.getDeclaredField("token");
    field.setAccessible(true);
    ((AtomicReference<?>) field.get(inbox)).set(null);
  }
}
