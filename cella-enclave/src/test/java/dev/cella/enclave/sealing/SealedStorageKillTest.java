package dev.cella.enclave.sealing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Atomicity against a real crash: a child JVM writes versions of a sealed file in a loop and is
 * killed ({@code destroyForcibly}, SIGKILL) at a random moment; the store must open and hold one
 * complete version, no older than the last one the child reported as committed.
 */
class SealedStorageKillTest {
  private static final int ROUNDS = 4;

  @TempDir Path dir;

  @Test
  void killingAWriterAtARandomMoment_leavesTheStoreReadable_withOneCompleteVersion()
      throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    TestStore store = new TestStore(dir);
    for (int round = 1; round <= ROUNDS; round++) {
      long firstVersion = round * 100_000L;
      AtomicLong acknowledged = new AtomicLong(-1);
      CountDownLatch firstCommit = new CountDownLatch(1);
      Path stderr = dir.resolve("writer-" + round + ".err");
      Process writer = new ProcessBuilder(List.of(
          ProcessHandle.current().info().command().orElseThrow(),
          "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
          KillTestWriter.class.getName(), dir.toString(), Long.toString(firstVersion)))
          .redirectError(stderr.toFile())
          .start();
      Thread reader = Thread.ofVirtual().start(() -> readCommits(writer, acknowledged, firstCommit));
      try {
        assertThat(firstCommit.await(60, TimeUnit.SECONDS))
            .as("round %d: the writer committed once within 60 s (stderr: %s)", round, stderr)
            .isTrue();
        Thread.sleep(random.nextInt(400));
      } finally {
        writer.destroyForcibly();
        assertThat(writer.waitFor(30, TimeUnit.SECONDS)).as("the writer died").isTrue();
        reader.join(TimeUnit.SECONDS.toMillis(10));
      }
      long lastAcknowledged = acknowledged.get();

      try (FileSystem fs = store.open()) {
        long version = KillTestWriter.versionOf(
            Files.readAllBytes(fs.getPath(KillTestWriter.FILE)));

        assertThat(version)
            .as("round %d (seed %d): the last acknowledged version was %d", round, seed,
                lastAcknowledged)
            .isBetween(lastAcknowledged, lastAcknowledged + 1);
      }
    }
  }

  private static void readCommits(Process writer, AtomicLong acknowledged, CountDownLatch first) {
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(writer.getInputStream(), StandardCharsets.US_ASCII))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith("committed ")) {
          acknowledged.set(Long.parseLong(line.substring("committed ".length())));
          first.countDown();
        }
      }
    } catch (java.io.IOException e) {
      // the pipe breaks when the writer is killed; what was read is what counts
    }
  }
}
