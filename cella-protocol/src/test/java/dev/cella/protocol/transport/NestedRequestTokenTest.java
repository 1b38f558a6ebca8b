package dev.cella.protocol.transport;

import static dev.cella.protocol.transport.TestBytes.sleep;
import static dev.cella.protocol.transport.TestBytes.text;
import static dev.cella.protocol.transport.TestBytes.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A host caller that holds the read token from the start of its call is not registered among the
 * waiters (it reads its own answer). When a request nested in its call comes, it gives the token
 * up to serve it — and must register first: here, while it serves, a second host caller takes
 * the token and polls (its own answer is slow), so it is the second caller that reads the first
 * one's answer, which it can route only to a registered waiter. Unregistered, the first caller's
 * answer would be dropped as stray and the first call would never end.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NestedRequestTokenTest {
  @RegisterExtension final ChannelPairs pairs = new ChannelPairs();

  @Test
  void anAnswerReadByAnotherCaller_whileTheCallerServesANestedRequest_reachesIt()
      throws Exception {
    for (ChannelPair.Bells bells : ChannelPair.Bells.values()) {
      for (int round = 0; round < 3; round++) {
        play(bells, round);
      }
    }
  }

  private void play(ChannelPair.Bells bells, int round) throws Exception {
    AtomicReference<ChannelPair> pair = new AtomicReference<>();
    CompletableFuture<String> secondResult = new CompletableFuture<>();
    // 10 ms of polling: each host caller keeps the token that long while it waits.
    ChannelPair p = pairs.open(1 << 16, bells).start(frame -> {
      if (!text(frame).equals("first")) {
        return frame;
      }
      // The host serves the enclave's nested request on the first caller's thread, which gave
      // the token up for it. Before answering, it starts the second caller and waits until that
      // one holds the token: the first caller's answer will come while it does.
      Thread t = Thread.ofPlatform().daemon().start(() -> {
        try {
          secondResult.complete(text(pair.get().hostEnd.call(utf8("slow"))));
        } catch (RuntimeException e) {
          secondResult.completeExceptionally(e);
        }
      });
      // (It holds it for its 10 ms of polling; a round that misses that only proves less.)
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      while (tokenHolder(pair.get().hostEnd) != t && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      return utf8("host:" + text(frame));
    }, frame -> {
      if (text(frame).equals("slow")) {
        sleep(40); // longer than the second caller polls with the token
        return utf8("slow done");
      }
      if (!text(frame).equals("first")) {
        return frame;
      }
      return utf8("enclave:" + text(pair.get().enclaveEnd.call(frame)));
    }, 1 << 20, Duration.ofMillis(10));
    pair.set(p);
    // Calls run on daemon threads, each awaited for seconds: a call that is never answered
    // ignores interrupts, and must fail the test rather than hang it.
    try {
      assertThat(onAnotherThread(() -> text(p.hostEnd.call(utf8("warm"))))
          .get(10, TimeUnit.SECONDS)).isEqualTo("warm");
      // The first caller finds the host idle and takes the token at once (so it is unregistered).
      CompletableFuture<String> first =
          onAnotherThread(() -> text(p.hostEnd.call(utf8("first"))));
      assertThat(first.get(10, TimeUnit.SECONDS)).as("the first call (%s, round %d)", bells, round)
          .isEqualTo("enclave:host:first");
      assertThat(secondResult.get(10, TimeUnit.SECONDS)).isEqualTo("slow done");
    } catch (TimeoutException e) {
      throw new AssertionError("a call was never answered (" + bells + ", round " + round
          + "); stray answers on the host: " + p.hostEnd.strayAnswers(), e);
    } finally {
      p.close();
    }
    assertThat(p.hostEnd.strayAnswers()).as("stray answers on the host (%s)", bells).isZero();
  }

  private static <T> CompletableFuture<T> onAnotherThread(Supplier<T> call) {
    return CompletableFuture.supplyAsync(call, r -> Thread.ofPlatform().daemon().start(r));
  }

  private static Thread tokenHolder(Endpoint endpoint) {
    try {
      Field inboxField = Endpoint.class.getDeclaredField("inbox");
      inboxField.setAccessible(true);
      Object inbox = inboxField.get(endpoint);
      Field tokenField = Inbox.class.getDeclaredField("token");
      tokenField.setAccessible(true);
      return ((AtomicReference<?>) tokenField.get(inbox)).get() instanceof Thread t ? t : null;
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
