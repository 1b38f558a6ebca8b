package dev.cella.enclave.sealing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SealedStorageConcurrencyTest {
  private static final int THREADS = 6;
  private static final int ROUNDS = 25;

  @TempDir Path dir;

  @Test
  void manyThreads_writingOwnAndSharedFiles_leaveEveryFileComplete() throws Exception {
    TestStore store = new TestStore(dir);
    try (FileSystem fs = store.open()) {
      Files.createDirectory(fs.getPath("/own"));
      Path shared = fs.getPath("/shared.bin");
      Files.write(shared, KillTestWriter.content(0));
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      try {
        List<Future<?>> results = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          int thread = t;
          results.add(pool.submit(() -> {
            Path own = fs.getPath("/own/" + thread);
            for (int round = 1; round <= ROUNDS; round++) {
              long version = thread * 1000L + round;
              Files.write(own, KillTestWriter.content(version));
              Files.write(shared, KillTestWriter.content(version));
              assertThat(KillTestWriter.versionOf(Files.readAllBytes(own))).isEqualTo(version);
              KillTestWriter.versionOf(Files.readAllBytes(shared));
              Path other = fs.getPath("/own/" + (thread + 1) % THREADS);
              try {
                KillTestWriter.versionOf(Files.readAllBytes(other));
              } catch (NoSuchFileException notYetWritten) {
                // the other thread has not written its first version yet
              }
            }
            return null;
          }));
        }
        for (Future<?> result : results) {
          result.get(120, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
    }

    try (FileSystem fs = store.open()) {
      for (int t = 0; t < THREADS; t++) {
        assertThat(KillTestWriter.versionOf(Files.readAllBytes(fs.getPath("/own/" + t))))
            .isEqualTo(t * 1000L + ROUNDS);
      }
      assertThat(KillTestWriter.versionOf(Files.readAllBytes(fs.getPath("/shared.bin")))
          % 1000).isEqualTo(ROUNDS);
      assertThat(store.objectFiles()).hasSize(THREADS + 1);
    }
  }
}
