package dev.cella.protocol.transport;

import static dev.cella.protocol.transport.TestBytes.reversed;
import static dev.cella.protocol.transport.TestBytes.sleep;
import static dev.cella.protocol.transport.TestBytes.text;
import static dev.cella.protocol.transport.TestBytes.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The host asks for rings only while one of its callers waits or a message is half read, and the
 * enclave rings the host's doorbell thread for each of its own requests: a caller that leaves
 * with its answer leaves the wake flag as it found it (back-to-back calls never write it), and
 * yet what the enclave sends an idle host — a request, one larger than the ring, many at once —
 * is served, as are callers that come and go while others leave.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostWakeFlagTest {
  @RegisterExtension final ChannelPairs pairs = new ChannelPairs();

  @Test
  void aCallerThatLeavesWithItsAnswer_doesNotAskForRings() throws Exception {
    // Polling for up to 10 ms, the caller holds the token until its answer comes; a caller whose
    // polling ran out asked for rings while it still waited, which may outlast its call.
    ChannelPair pair = pairs.open(1 << 16).start(frame -> frame, frame -> frame, 1 << 20,
        Duration.ofMillis(10));
    pair.hostEnd.call(utf8("first")); // the new channel's flag asks for rings until a look
    int leftAsking = 0;
    for (int i = 0; i < 100; i++) {
      assertThat(text(pair.hostEnd.call(utf8("call " + i)))).isEqualTo("call " + i);
      if (pair.host.hostWakeFlag() != 0) {
        leftAsking++;
      }
    }
    // Every one of them before; only a call that waited 10 ms (a pause of the machine) now.
    assertThat(leftAsking).as("calls after which the host asked for rings").isLessThan(5);
  }

  @Test
  void whileACallerWaitsOnItsDoorbell_theHostAsksForRings() throws Exception {
    AtomicInteger flagSeen = new AtomicInteger(-1);
    ChannelPair[] holder = new ChannelPair[1];
    // No polling: the caller gives the token back and sleeps at once; the slow answer rings it.
    ChannelPair pair = pairs.open(1 << 16).start(frame -> frame, frame -> {
      sleep(50);
      flagSeen.set(holder[0].host.hostWakeFlag());
      return frame;
    }, 1 << 20, Duration.ZERO);
    holder[0] = pair;
    assertThat(text(pair.hostEnd.call(utf8("slow")))).isEqualTo("slow");
    assertThat(flagSeen).as("the host's wake flag while its caller slept").hasValue(1);
  }

  @Test
  void anEnclaveRequestToAnIdleHost_isServed() throws Exception {
    ChannelPair pair = pairs.open(1 << 16).start(
        frame -> utf8("host saw " + text(frame)), frame -> frame, 1 << 20);
    leaveTheHostNotAsking(pair);
    for (int i = 0; i < 20; i++) {
      sleep(2); // the host's doorbell thread is asleep, and nobody asked for rings
      assertThat(text(pair.enclaveEnd.call(utf8("up " + i)))).isEqualTo("host saw up " + i);
    }
  }

  @Test
  void anEnclaveRequestLargerThanTheRing_toAnIdleHost_streamsThrough() throws Exception {
    byte[] big = new byte[(1 << 20) + 4321];
    new Random(11).nextBytes(big);
    ChannelPair pair = pairs.open(1 << 14).start(TestBytes::reversed, frame -> frame,
        4 << 20);
    leaveTheHostNotAsking(pair);
    for (int i = 0; i < 3; i++) {
      sleep(2);
      assertThat(pair.enclaveEnd.call(big)).isEqualTo(reversed(big));
    }
  }

  @Test
  void callersComingAndGoing_whileTheEnclaveCallsTheHost_allGetTheirAnswers() throws Exception {
    for (ChannelPair.Bells bells : ChannelPair.Bells.values()) {
      for (Duration spin : List.of(Duration.ZERO, Duration.ofNanos(50_000))) {
        ChannelPair pair = pairs.open(1 << 12, bells).start(
            frame -> utf8("h" + text(frame)), frame -> utf8("e" + text(frame)), 1 << 20, spin);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
          List<Future<Integer>> results = new ArrayList<>();
          for (int t = 0; t < 6; t++) {
            Endpoint caller = t < 4 ? pair.hostEnd : pair.enclaveEnd;
            String prefix = t < 4 ? "e" : "h";
            int id = t;
            results.add(pool.submit(() -> {
              int ok = 0;
              for (int i = 0; i < 300; i++) {
                String s = id + "-" + i;
                if (text(caller.call(utf8(s))).equals(prefix + s)) {
                  ok++;
                }
                if (ThreadLocalRandom.current().nextInt(8) == 0) {
                  Thread.sleep(0, 200_000); // gaps, so that callers leave the token to nobody
                }
              }
              return ok;
            }));
          }
          int total = 0;
          for (Future<Integer> result : results) {
            total += result.get(60, TimeUnit.SECONDS);
          }
          assertThat(total).as("answers with %s bells, spinning %s", bells, spin)
              .isEqualTo(6 * 300);
        } finally {
          pool.shutdownNow();
        }
      }
    }
  }

  /**
   * Calls until one leaves the host's wake flag clear (a call whose polling ran out, in a cold
   * JVM, may leave it set), so that what follows meets a host that asked for no rings.
   */
  private static void leaveTheHostNotAsking(ChannelPair pair) {
    for (int i = 0; i < 200 && pair.host.hostWakeFlag() != 0; i++) {
      pair.hostEnd.call(utf8("warm " + i));
    }
    assertThat(pair.host.hostWakeFlag()).as("the host's wake flag after warm-up calls").isZero();
  }
}
