package dev.cella.enclave.internal.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.EnclaveException;
import dev.cella.EnclaveIdentity;
import dev.cella.EnclaveLimits;
import dev.cella.EnclaveStatus.Code;
import dev.cella.Measurement;
import dev.cella.PlatformKind;
import dev.cella.SignerId;
import dev.cella.protocol.FrameType;
import dev.cella.protocol.Frames;
import dev.cella.protocol.InitMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartGateTest {
  private static final EnclaveIdentity MEASURED = new EnclaveIdentity(
      Measurement.of(new byte[48]), SignerId.of(new byte[48]), 7, 3, false, PlatformKind.PROCESS);

  private static final dev.cella.bundle.Manifest MANIFEST = dev.cella.bundle.Manifest.builder()
      .name("e").entry("app.Main").build();

  private final List<byte[]> reachedRuntime = new ArrayList<>();
  private final AtomicInteger refusals = new AtomicInteger();

  private StartGate gate(MeasuredStart measured) {
    return new StartGate(frame -> {
      reachedRuntime.add(frame.clone());
      return Frames.ok(new byte[0]);
    }, measured, refusals::incrementAndGet);
  }

  private static byte[] initialize(EnclaveIdentity claimed) {
    byte[] key = new byte[InitMessage.SEALING_KEY_BYTES];
    java.util.Arrays.fill(key, (byte) 0x5A);
    return Frames.frame(FrameType.INITIALIZE, new InitMessage("e", claimed, EnclaveLimits.DEFAULT,
        "app.Main", List.of(), new byte[0], key, key).encode());
  }

  @Test
  void theMeasuredIdentity_reachesTheRuntime_andTheFrameIsWipedAfterwards() {
    byte[] frame = initialize(MEASURED);
    assertThat(Frames.result(gate(new MeasuredStart(MEASURED, MANIFEST, null)).apply(frame))).isEmpty();
    assertThat(reachedRuntime).hasSize(1);
    assertThat(frame).containsOnly(0);
    assertThat(refusals).hasValue(0);
  }

  @Test
  void anotherIdentity_isRefused_beforeTheRuntimeSeesTheKeys_andLaterFramesToo() {
    StartGate gate = gate(new MeasuredStart(MEASURED, MANIFEST, null));
    EnclaveIdentity claimed = new EnclaveIdentity(MEASURED.measurement(), MEASURED.signer(), 7, 4,
        false, PlatformKind.PROCESS);
    byte[] frame = initialize(claimed);
    assertThatThrownBy(() -> Frames.result(gate.apply(frame)))
        .isInstanceOfSatisfying(EnclaveException.class,
            e -> assertThat(e.code()).isEqualTo(Code.PERMISSION_DENIED))
        .hasMessageContaining("refuses to start");
    assertThat(reachedRuntime).isEmpty();
    assertThat(frame).containsOnly(0);
    assertThat(refusals).hasValue(1);
    assertThatThrownBy(() -> Frames.result(gate.apply(Frames.frame(FrameType.RUN, new byte[0]))))
        .isInstanceOfSatisfying(EnclaveException.class,
            e -> assertThat(e.code()).isEqualTo(Code.FAILED_PRECONDITION));
    // A RUN frame in two parts (as the shared memory delivers the bytes API's) is refused too.
    assertThatThrownBy(() -> Frames.result(gate.apply(Frames.parts(FrameType.RUN, new byte[4]))))
        .isInstanceOfSatisfying(EnclaveException.class,
            e -> assertThat(e.code()).isEqualTo(Code.FAILED_PRECONDITION));
    assertThat(reachedRuntime).isEmpty();
  }

  @Test
  void aFailedMeasurement_refusesInitialize_withItsReason() {
    StartGate gate = gate(new MeasuredStart(null, null, "the bundle is gone"));
    assertThatThrownBy(() -> Frames.result(gate.apply(initialize(MEASURED))))
        .isInstanceOf(EnclaveException.class).hasMessageContaining("the bundle is gone");
    assertThat(reachedRuntime).isEmpty();
  }

  @Test
  void anEntryClassTheManifestDoesNotName_isRefused() {
    StartGate gate = gate(new MeasuredStart(MEASURED, MANIFEST.toBuilder().entry("app.Other").build(),
        null));
    assertThatThrownBy(() -> Frames.result(gate.apply(initialize(MEASURED))))
        .isInstanceOf(EnclaveException.class).hasMessageContaining("but the manifest's is");
    assertThat(reachedRuntime).isEmpty();
  }

  @Test
  void otherFrames_passThrough() {
    StartGate gate = gate(new MeasuredStart(MEASURED, MANIFEST, null));
    gate.apply(Frames.frame(FrameType.RUN, new byte[] {1}));
    gate.apply(new byte[] {9});
    gate.apply(Frames.parts(FrameType.RUN, new byte[] {2}));
    assertThat(reachedRuntime).hasSize(3);
    assertThat(reachedRuntime.get(2)).isEqualTo(Frames.frame(FrameType.RUN, new byte[] {2}));
  }

  @TempDir Path folder;

  @Test
  void classPath_mustHoldExactlyTheBundlesJars() throws Exception {
    SequencedMap<String, byte[]> libraries = new LinkedHashMap<>();
    libraries.put("a.jar", new byte[] {1});
    libraries.put("b.jar", new byte[] {2});
    Path a = Files.write(folder.resolve("a.jar"), new byte[] {1});
    Path b = Files.write(folder.resolve("b.jar"), new byte[] {2});
    assertThat(MeasuredStart.compare(libraries, List.of(a, b))).isNull();
    assertThat(MeasuredStart.compare(libraries, List.of(b, a))).isNull();
    assertThat(MeasuredStart.compare(libraries, List.of(a))).contains("missing [b.jar]");
    Path c = Files.write(folder.resolve("c.jar"), new byte[] {3});
    assertThat(MeasuredStart.compare(libraries, List.of(a, b, c))).contains("not in the bundle [c.jar]");
    Files.write(b, new byte[] {2, 2});
    assertThat(MeasuredStart.compare(libraries, List.of(a, b))).contains("b.jar differs");
    Path other = Files.createDirectories(folder.resolve("x")).resolve("a.jar");
    Files.write(other, new byte[] {1});
    assertThat(MeasuredStart.compare(libraries, List.of(a, other))).contains("not a uniquely named");
  }
}
