package dev.cella.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StreamPipeTest {

  @Test
  void chunks_areWrittenInOrder_andFinishRunsAfterTheLast() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CompletableFuture<byte[]> finished = new CompletableFuture<>();
    StreamPipe pipe = StreamPipe.start("t", out, () -> finished.complete(out.toByteArray()),
        e -> finished.completeExceptionally(e));

    for (int i = 0; i < 100; i++) {
      assertThat(pipe.offer(new byte[] {(byte) i})).isTrue();
    }
    pipe.end();

    byte[] written = finished.get(10, TimeUnit.SECONDS);
    assertThat(written).hasSize(100);
    for (int i = 0; i < 100; i++) {
      assertThat(written[i]).isEqualTo((byte) i);
    }
    assertThat(pipe.offer(new byte[1])).isFalse();
  }

  @Test
  void offer_whenTheQueueIsFull_waitsUntilTheWriterMakesRoom() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    OutputStream blocked = new OutputStream() {
      @Override
      public void write(int b) {}

      @Override
      public void write(byte[] b, int off, int len) {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    StreamPipe pipe = StreamPipe.start("t", blocked, () -> {}, e -> {});
    // The chunk being written still counts: it is not on the socket yet.
    pipe.offer(new byte[StreamPipe.MAX_BUFFERED / 2]);
    pipe.offer(new byte[StreamPipe.MAX_BUFFERED / 2]);

    CompletableFuture<Boolean> third = CompletableFuture.supplyAsync(() -> {
      try {
        return pipe.offer(new byte[1]);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    Thread.sleep(300);
    assertThat(third).isNotDone();

    release.countDown();
    assertThat(third.get(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void abort_endsAWaitingOffer_withFalse() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    OutputStream blocked = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        try {
          never.await();
        } catch (InterruptedException e) {
          throw new IOException(e);
        }
      }
    };
    StreamPipe pipe = StreamPipe.start("t", blocked, () -> {}, e -> {});
    pipe.offer(new byte[StreamPipe.MAX_BUFFERED]);
    CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
      try {
        return pipe.offer(new byte[10]);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    Thread.sleep(200);
    assertThat(waiting).isNotDone();

    pipe.abort();

    assertThat(waiting.get(10, TimeUnit.SECONDS)).isFalse();
    never.countDown();
  }

  @Test
  void aFailingSocket_isReportedOnce_andLaterOffersAreRefused() throws Exception {
    AtomicInteger failures = new AtomicInteger();
    CountDownLatch failed = new CountDownLatch(1);
    OutputStream broken = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("broken pipe");
      }
    };
    StreamPipe pipe = StreamPipe.start("t", broken, () -> {}, e -> {
      failures.incrementAndGet();
      failed.countDown();
    });

    pipe.offer(new byte[5]);

    assertThat(failed.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(pipe.offer(new byte[5])).isFalse();
    assertThat(failures).hasValue(1);
  }

  @Test
  void readChunk_takesWhatIsAlreadyThere_andReportsTheEnd() throws Exception {
    ByteArrayInputStream in = new ByteArrayInputStream(new byte[1000]);
    byte[] buffer = new byte[4096];

    assertThat(StreamPipe.readChunk(in, buffer)).isEqualTo(1000);
    assertThat(StreamPipe.readChunk(in, buffer)).isEqualTo(-1);
  }
}
