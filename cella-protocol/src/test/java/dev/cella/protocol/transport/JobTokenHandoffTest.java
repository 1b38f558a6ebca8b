package dev.cella.protocol.transport;

import static dev.cella.protocol.transport.RingLayout.KIND_RESPONSE;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The read token around the inline server's jobs, which it gives up without asking the other side
 * to ring, since it looks at the ring again when the job is done: back-to-back calls never touch
 * the wake flag; a request that comes during a job is served after it, unrung, or by the
 * successor the monitor starts when the job outlasts its tick; another enclave thread that takes
 * the token during a job, and keeps it when the job ends (so that the doorbell thread goes back
 * to its doorbell), or while the monitor demotes a job, still routes what comes meanwhile; and
 * under a mixed load of nested host calls, jobs longer than the monitor's tick and enclave
 * threads calling the host, every call is answered promptly. The hand-driven tests play the host
 * on the host's rings, ringing when asked to.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JobTokenHandoffTest {
  @RegisterExtension final ChannelPairs pairs = new ChannelPairs();
  private HandHost host;

  private void startEnclaveOnly(Endpoint.Handler onEnclave) throws Exception {
    // 10 ms of spinning: an enclave thread that calls the host keeps the token that long.
    host = HandHost.start(pairs, onEnclave, b -> b.spin(Duration.ofMillis(10)));
  }

  @Test
  void whileTheServerRunsAJob_theHostIsNotAskedToRing() throws Exception {
    AtomicInteger askedToRing = new AtomicInteger();
    // The job runs on the enclave's doorbell thread while this thread only polls for its answer.
    startEnclaveOnly(frame -> {
      if (host.toEnclave.takeWakeRequest()) {
        askedToRing.incrementAndGet();
      }
      return frame;
    });
    for (long id = 1; id <= 50; id++) {
      send(id);
      assertThat(awaitMessage().callId()).isEqualTo(id);
    }
    assertThat(askedToRing).as("jobs during which the host was asked to ring").hasValue(0);
  }

  @Test
  void aRequestThatComesDuringAShortJob_isServedAfterIt() throws Exception {
    AtomicInteger stage = new AtomicInteger(); // 1: the first job runs; 2: the second is written
    startEnclaveOnly(frame -> {
      if (frame[0] == 1) {
        stage.set(1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (stage.get() != 2 && System.nanoTime() < deadline) {
          Thread.onSpinWait();
        }
      }
      return frame;
    });
    send(1);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (stage.get() != 1) {
      assertThat(System.nanoTime()).as("the first job").isLessThan(deadline);
      Thread.onSpinWait();
    }
    send(2);
    stage.set(2);
    assertThat(List.of(awaitMessage().callId(), awaitMessage().callId())).containsExactlyInAnyOrder(1L, 2L);
  }

  @Test
  void aRequestThatComesDuringAJobLongerThanATick_isServedByTheSuccessor() throws Exception {
    CountDownLatch answered = new CountDownLatch(1);
    startEnclaveOnly(frame -> {
      if (frame[0] == 1) {
        try {
          assertThat(answered.await(20, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return frame;
    });
    send(1);
    Thread.sleep(50); // the first job is running, far longer than the monitor's 1 ms tick
    send(2);
    assertThat(awaitMessage().callId()).isEqualTo(2L);
    answered.countDown();
    assertThat(awaitMessage().callId()).isEqualTo(1L);
  }

  @Test
  void anEnclaveCallerHoldingTheTokenWhenAJobEnds_routesTheNextRequest() throws Exception {
    AtomicReference<CompletableFuture<byte[]>> callerResult = new AtomicReference<>();
    AtomicReference<Boolean> callerHeldToken = new AtomicReference<>();
    CountDownLatch[] hostSawCall = {new CountDownLatch(1)};
    startEnclaveOnly(frame -> {
      if (frame[0] % 2 == 1) {
        // Odd: a job during which another enclave thread calls the host and takes the token.
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        callerResult.set(result);
        Thread t = Thread.ofPlatform().daemon().start(() -> {
          try {
            result.complete(host.pair.enclaveEnd.call(new byte[] {42}));
          } catch (RuntimeException e) {
            result.completeExceptionally(e);
          }
        });
        await(hostSawCall[0]);
        callerHeldToken.set(tokenHolder() == t);
      }
      return frame;
    });
    int hits = 0;
    long id = 1;
    for (int round = 0; round < 10 && hits < 3; round++) {
      hostSawCall[0] = new CountDownLatch(1);
      send(id);
      Message call = awaitMessage();
      assertThat(call.isRequest()).as("the enclave thread's call").isTrue();
      hostSawCall[0].countDown();
      Message answer = awaitMessage();
      assertThat(answer.callId()).isEqualTo(id);
      // The doorbell thread has finished its job; the caller may still hold the token, polling
      // for its answer. The next request goes in now, without a ring if none is asked for.
      send(id + 1);
      assertThat(awaitMessage().callId()).as("the request after the job").isEqualTo(id + 1);
      answer(call.callId(), new byte[] {43});
      assertThat(callerResult.get().get(20, TimeUnit.SECONDS)).containsExactly(43);
      if (Boolean.TRUE.equals(callerHeldToken.get())) {
        hits++;
      }
      id += 2;
    }
    assertThat(hits).as("rounds in which the caller held the token when the job ended")
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void aJobDemotedWhileAnEnclaveCallerHoldsTheToken_doesNotHoldUpLaterRequests()
      throws Exception {
    CountDownLatch releaseFirst = new CountDownLatch(1);
    CountDownLatch hostSawCall = new CountDownLatch(1);
    AtomicReference<CompletableFuture<byte[]>> callerResult = new AtomicReference<>();
    startEnclaveOnly(frame -> {
      if (frame[0] == 1) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        callerResult.set(result);
        Thread.ofPlatform().daemon().start(() -> {
          try {
            result.complete(host.pair.enclaveEnd.call(new byte[] {42}));
          } catch (RuntimeException e) {
            result.completeExceptionally(e);
          }
        });
        await(hostSawCall);
        await(releaseFirst); // far longer than a tick: the monitor demotes this job
      }
      return frame;
    });
    try {
      send(1);
      Message call = awaitMessage();
      assertThat(call.isRequest()).isTrue();
      hostSawCall.countDown();
      for (long id = 2; id <= 20; id++) {
        send(id);
        assertThat(awaitMessage().callId()).as("request %d during the blocked job", id)
            .isEqualTo(id);
      }
      answer(call.callId(), new byte[] {43});
      assertThat(callerResult.get().get(20, TimeUnit.SECONDS)).containsExactly(43);
      releaseFirst.countDown();
      assertThat(awaitMessage().callId()).isEqualTo(1L);
    } finally {
      releaseFirst.countDown();
    }
  }

  @Test
  void mixedLoad_onEveryKindOfBell_everyCallIsAnsweredPromptly() throws Exception {
    for (ChannelPair.Bells bells : ChannelPair.Bells.values()) {
      mixedLoad(bells);
    }
  }

  /**
   * Host threads call the enclave with jobs of four kinds (echo, a nested host call, a job longer
   * than the monitor's tick, both), while enclave threads call the host; the slowest call must
   * stay far below the waits that a request nobody looks at would cause.
   */
  private void mixedLoad(ChannelPair.Bells bells) throws Exception {
    AtomicReference<Endpoint> enclave = new AtomicReference<>();
    ChannelPair p = pairs.open(1 << 14, bells).start(frame -> frame, frame -> {
      int kind = frame[0];
      if ((kind & 1) != 0) {
        byte[] nested = enclave.get().call(new byte[] {9, frame[1]});
        assertThat(nested).containsExactly(9, frame[1]);
      }
      if ((kind & 2) != 0) {
        long until = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(1_500);
        while (System.nanoTime() < until) {
          Thread.onSpinWait();
        }
      }
      return frame;
    }, 1 << 20, Duration.ofNanos(20_000));
    enclave.set(p.enclaveEnd);
    AtomicLong slowest = new AtomicLong();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        boolean fromHost = t < 2;
        results.add(pool.submit(() -> {
          int ok = 0;
          for (int i = 0; i < 300 && System.nanoTime() < deadline; i++) {
            byte[] frame = {(byte) ThreadLocalRandom.current().nextInt(4), (byte) i};
            long start = System.nanoTime();
            byte[] answer = (fromHost ? p.hostEnd : p.enclaveEnd).call(frame);
            slowest.accumulateAndGet(System.nanoTime() - start, Math::max);
            if (answer[0] == frame[0] && answer[1] == frame[1]) {
              ok++;
            }
            if (ThreadLocalRandom.current().nextInt(8) == 0) {
              // Now and then both sides go idle, some way into the spin budgets or past them.
              Thread.sleep(0, ThreadLocalRandom.current().nextInt(1_000_000));
            }
          }
          return ok;
        }));
      }
      int total = 0;
      for (Future<Integer> r : results) {
        total += r.get(60, TimeUnit.SECONDS);
      }
      assertThat(total).as("calls answered correctly, %s", bells).isEqualTo(4 * 300);
      assertThat(slowest.get()).as("the slowest call, ns, %s", bells)
          .isLessThan(TimeUnit.SECONDS.toNanos(2));
    } finally {
      pool.shutdownNow();
      p.close();
    }
  }

  @Test
  void theChannelFailingDuringAJob_failsTheJobsHostCall_andEveryDoorbellThreadEnds()
      throws Exception {
    String name = "job-failure-" + System.nanoTime();
    CountDownLatch inJob = new CountDownLatch(1);
    CountDownLatch failed = new CountDownLatch(1);
    CompletableFuture<Throwable> nestedCall = new CompletableFuture<>();
    host = HandHost.start(pairs, frame -> {
      inJob.countDown();
      await(failed);
      try {
        host.pair.enclaveEnd.call(new byte[] {1});
        nestedCall.complete(null);
      } catch (RuntimeException e) {
        nestedCall.complete(e);
      }
      return frame;
    }, b -> b.name(name).spin(Duration.ofMillis(1)));
    send(1);
    await(inJob);
    Thread.sleep(20); // the monitor demotes the job: a successor waits on the doorbell
    host.pair.enclaveEnd.fail("the test fails the channel");
    failed.countDown();
    assertThat(nestedCall.get(5, TimeUnit.SECONDS)).as("the job's host call")
        .isInstanceOf(RuntimeException.class);
    host.pair.close(); // closes the doorbells, which a successor waits on
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!threadsNamed(name).isEmpty()) {
      assertThat(System.nanoTime()).as("threads left: %s", threadsNamed(name))
          .isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  private static List<String> threadsNamed(String suffix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().endsWith(" " + suffix))
        .map(Thread::getName).toList();
  }

  private Thread tokenHolder() {
    try {
      Field inboxField = Endpoint.class.getDeclaredField("inbox");
      inboxField.setAccessible(true);
      Object inbox = inboxField.get(host.pair.enclaveEnd);
      Field tokenField = Inbox.class.getDeclaredField("token");
      tokenField.setAccessible(true);
      return ((AtomicReference<?>) tokenField.get(inbox)).get() instanceof Thread t ? t : null;
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(20, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Writes request {@code id} (its frame is its id's low byte), ringing when asked to. */
  private void send(long id) throws Exception {
    host.request(id, new byte[] {(byte) id});
  }

  private void answer(long callId, byte[] frame) throws Exception {
    host.fromEnclave.cancelWake(); // this thread polls for what comes next
    host.write(KIND_RESPONSE, callId, frame);
  }

  private Message awaitMessage() {
    return host.awaitMessage();
  }
}
