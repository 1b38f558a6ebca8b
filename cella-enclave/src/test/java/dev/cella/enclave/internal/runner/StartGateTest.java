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
import java.util.List;
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
  void anInitializeInTwoParts_isWipedInBothParts_whenServed_andWhenRefused() {
    for (EnclaveIdentity claimed : List.of(MEASURED, new EnclaveIdentity(MEASURED.measurement(),
        MEASURED.signer(), 7, 4, false, PlatformKind.PROCESS))) {
      byte[] whole = initialize(claimed);
      byte[] head = java.util.Arrays.copyOf(whole, Frames.HEADER);
      byte[] body = java.util.Arrays.copyOfRange(whole, Frames.HEADER, whole.length);
      gate(new MeasuredStart(MEASURED, MANIFEST, null))
          .apply(new dev.cella.spi.FrameParts(head, body));
      assertThat(head).as("head, svn %d", claimed.svn()).containsOnly(0);
      assertThat(body).as("body, svn %d", claimed.svn()).containsOnly(0);
    }
    assertThat(reachedRuntime).hasSize(1);
    assertThat(refusals).hasValue(1);
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
  void aFrameBeforeTheMeasurementHasFinished_waitsForIt_andTheRuntimeIsMadeFromItOnce()
      throws Exception {
    java.util.concurrent.CompletableFuture<MeasuredStart> measuring =
        new java.util.concurrent.CompletableFuture<>();
    List<MeasuredStart> madeFrom = java.util.Collections.synchronizedList(new ArrayList<>());
    StartGate gate = new StartGate(measuring, measured -> {
      madeFrom.add(measured);
      return frame -> {
        reachedRuntime.add(frame.clone());
        return Frames.ok(new byte[0]);
      };
    }, refusals::incrementAndGet);
    var answer = java.util.concurrent.CompletableFuture.supplyAsync(
        () -> gate.apply(initialize(MEASURED)));
    Thread.sleep(100);
    assertThat(answer).isNotDone();
    assertThat(madeFrom).isEmpty();
    MeasuredStart measured = new MeasuredStart(MEASURED, MANIFEST, null);
    measuring.complete(measured);
    assertThat(Frames.result(answer.get(10, java.util.concurrent.TimeUnit.SECONDS))).isEmpty();
    gate.apply(Frames.frame(FrameType.RUN, new byte[] {1}));
    assertThat(madeFrom).containsExactly(measured);
    assertThat(reachedRuntime).hasSize(2);
  }

  @Test
  void aMeasurementThatFailsAfterTheHostConnected_refusesInitialize() {
    java.util.concurrent.CompletableFuture<MeasuredStart> measuring =
        new java.util.concurrent.CompletableFuture<>();
    StartGate gate = new StartGate(measuring, measured -> frame -> {
      reachedRuntime.add(frame.clone());
      return Frames.ok(new byte[0]);
    }, refusals::incrementAndGet);
    measuring.completeExceptionally(new IllegalStateException("disk gone"));
    byte[] frame = initialize(MEASURED);
    assertThatThrownBy(() -> Frames.result(gate.apply(frame)))
        .isInstanceOfSatisfying(EnclaveException.class,
            e -> assertThat(e.code()).isEqualTo(Code.PERMISSION_DENIED))
        .hasMessageContaining("could not measure");
    assertThat(reachedRuntime).isEmpty();
    assertThat(frame).containsOnly(0);
    assertThat(refusals).hasValue(1);
  }

  @Test
  void aMeasurementThatNeverFinishes_refusesInitialize_withinItsBound() throws Exception {
    StartGate gate = new StartGate(new java.util.concurrent.CompletableFuture<>(),
        java.time.Duration.ofMillis(200), measured -> frame -> {
          reachedRuntime.add(frame.clone());
          return Frames.ok(new byte[0]);
        }, refusals::incrementAndGet);
    byte[] frame = initialize(MEASURED);
    var answer = java.util.concurrent.CompletableFuture.supplyAsync(() -> gate.apply(frame));
    assertThatThrownBy(() -> Frames.result(answer.get(10, java.util.concurrent.TimeUnit.SECONDS)))
        .isInstanceOfSatisfying(EnclaveException.class,
            e -> assertThat(e.code()).isEqualTo(Code.PERMISSION_DENIED))
        .hasMessageContaining("could not measure its bundle within");
    assertThat(reachedRuntime).isEmpty();
    assertThat(frame).containsOnly(0);
    assertThat(refusals).hasValue(1);
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
  void measuredStart_ofTheBundlesJars_isTheBundlesIdentity_andOfOthers_aRefusal()
      throws Exception {
    Path bundleFile = folder.resolve("e.cella");
    dev.cella.bundle.BundleBuilder.create(MANIFEST).addLibrary("a.jar", jar("a"))
        .addLibrary("b.jar", jar("b")).writeSigned(
            dev.cella.bundle.BundleSigningKey.generate(), bundleFile);
    List<Path> jars = dev.cella.bundle.Bundle.open(bundleFile).writeLibraries(folder.resolve("lib"));

    MeasuredStart measured = MeasuredStart.of(bundleFile, jars);
    assertThat(measured.refusalOrNull()).isNull();
    assertThat(measured.identity()).isEqualTo(
        dev.cella.bundle.Bundle.open(bundleFile).identity(PlatformKind.PROCESS));
    assertThat(measured.manifest()).isEqualTo(MANIFEST);

    Path extra = Files.write(folder.resolve("c.jar"), new byte[] {3});
    MeasuredStart more = MeasuredStart.of(bundleFile, List.of(jars.get(0), jars.get(1), extra));
    assertThat(more.identity()).isNull();
    assertThat(more.refusalOrNull()).startsWith("the code on the runtime's class path is not the"
        + " bundle's: jars not in the bundle [c.jar]");
    Files.write(jars.get(1), jar("c"));
    assertThat(MeasuredStart.of(bundleFile, jars).refusalOrNull()).contains("b.jar differs");
    assertThat(MeasuredStart.of(folder.resolve("gone.cella"), jars).refusalOrNull())
        .startsWith("the runtime cannot read its bundle");
  }

  @Test
  void aClassPathWithAnEmptyEntry_whichTheJvmReadsAsTheWorkingDirectory_isRefused()
      throws Exception {
    Path bundleFile = folder.resolve("e.cella");
    dev.cella.bundle.BundleBuilder.create(MANIFEST).addLibrary("a.jar", jar("a"))
        .writeSigned(dev.cella.bundle.BundleSigningKey.generate(), bundleFile);
    Path jar = dev.cella.bundle.Bundle.open(bundleFile).writeLibraries(folder.resolve("lib"))
        .get(0);
    String sep = java.io.File.pathSeparator;
    assertThat(MeasuredStart.of(bundleFile, RunnerProcess.classPath(jar.toString()))
        .refusalOrNull()).isNull();
    for (String classPath : List.of(jar + sep, sep + jar)) {
      assertThat(MeasuredStart.of(bundleFile, RunnerProcess.classPath(classPath)).refusalOrNull())
          .as(classPath).startsWith("the code on the runtime's class path is not the bundle's");
    }
  }

  private static byte[] jar(String entry) throws java.io.IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (java.util.jar.JarOutputStream jar = new java.util.jar.JarOutputStream(out)) {
      jar.putNextEntry(new java.util.jar.JarEntry(entry));
      jar.write(entry.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      jar.closeEntry();
    }
    return out.toByteArray();
  }
}
