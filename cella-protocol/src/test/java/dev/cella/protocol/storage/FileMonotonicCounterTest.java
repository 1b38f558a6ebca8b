package dev.cella.protocol.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileMonotonicCounterTest {
  @TempDir Path dir;

  @Test
  void missingFile_readsAsZero_andIncrementsCount() throws Exception {
    FileMonotonicCounter counter = new FileMonotonicCounter(dir.resolve("c"));

    assertThat(counter.read()).isZero();
    assertThat(counter.increment()).isEqualTo(1);
    assertThat(counter.increment()).isEqualTo(2);
    assertThat(new FileMonotonicCounter(dir.resolve("c")).read()).isEqualTo(2);
  }

  @Test
  void corruptFile_isReportedNotGuessed() throws Exception {
    Files.writeString(dir.resolve("c"), "twelve");

    assertThatThrownBy(() -> new FileMonotonicCounter(dir.resolve("c")).read())
        .isInstanceOf(IOException.class).hasMessageContaining("does not hold a counter value");
  }
}
