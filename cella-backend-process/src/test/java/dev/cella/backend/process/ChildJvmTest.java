package dev.cella.backend.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cella.EnclaveLimits;
import org.junit.jupiter.api.Test;

/** The enclave JVM's heap options follow the manifest's limits. */
class ChildJvmTest {
  @Test
  void defaultLimits_youngGenerationHoldsTwoLargestFrames_heapStartsAboveIt() {
    EnclaveLimits limits = EnclaveLimits.DEFAULT; // 256 MiB heap, 16 MiB frames
    assertThat(ChildJvm.youngMebibytes(limits)).isEqualTo(32);
    assertThat(ChildJvm.options(limits, "e")).contains("-Xmx256m", "-Xms48m", "-Xmn32m");
  }

  @Test
  void smallHeap_youngGenerationIsAtMostAThird_andTheHeapStartsWithinItsMaximum() {
    EnclaveLimits limits = new EnclaveLimits(16, 4, 16 << 20, 32);
    assertThat(ChildJvm.youngMebibytes(limits)).isEqualTo(5);
    assertThat(ChildJvm.options(limits, "e")).contains("-Xmx16m", "-Xms16m", "-Xmn5m");
  }

  @Test
  void smallFrames_youngGenerationIsAtLeast8MiB() {
    assertThat(ChildJvm.youngMebibytes(new EnclaveLimits(256, 4, 64 << 10, 32))).isEqualTo(8);
    // A partial MiB counts as a whole one.
    assertThat(ChildJvm.youngMebibytes(new EnclaveLimits(256, 4, (5 << 20) + 1, 32)))
        .isEqualTo(12);
  }
}
