package dev.cella.enclave.internal.runner;

import static org.assertj.core.api.Assertions.assertThatCode;

import dev.cella.EnclaveIdentity;
import dev.cella.EnclaveLimits;
import dev.cella.Measurement;
import dev.cella.PlatformKind;
import dev.cella.SignerId;
import dev.cella.bundle.Manifest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The AOT training's start and calls, through the start gate and the runtime. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AotTrainingTest {
  private static final EnclaveIdentity MEASURED = new EnclaveIdentity(
      Measurement.of(new byte[48]), SignerId.of(new byte[48]), 7, 3, false, PlatformKind.PROCESS);

  @Test
  void aBundleWithASmallFrameLimit_isTrained_withCallsThatFitIt() {
    Manifest manifest = Manifest.builder().name("small").entry("app.Main")
        .limits(new EnclaveLimits(256, 4, 64 << 10, 32)).build();
    assertThatCode(() -> AotTraining.exercise(new MeasuredStart(MEASURED, manifest, null)))
        .doesNotThrowAnyException();
  }

  @Test
  void aBundleWithTheDefaultLimits_isTrained() {
    Manifest manifest = Manifest.builder().name("default").entry("app.Main").build();
    assertThatCode(() -> AotTraining.exercise(new MeasuredStart(MEASURED, manifest, null)))
        .doesNotThrowAnyException();
  }
}
