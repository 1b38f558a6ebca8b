package dev.cella.backend.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cella.EnclaveIdentity;
import dev.cella.EnclaveLimits;
import dev.cella.PlatformKind;
import dev.cella.backend.process.apps.ProbeApp;
import dev.cella.bundle.Bundle;
import dev.cella.protocol.FrameType;
import dev.cella.protocol.Frames;
import dev.cella.protocol.InitMessage;
import dev.cella.spi.LaunchRequest;
import dev.cella.EnclaveStatus.Code;
import dev.cella.testing.TestBundles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AOT cache: the first start trains one in the background, a later start of the same bundle
 * uses it (read-only) and works, another bundle gets another key, and a garbage cache only costs
 * speed.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class AotCacheTest {
  @TempDir Path folder;

  @Test
  void firstStartTrainsACache_aLaterStartUsesIt_andAnswers() throws Exception {
    Sandbox sandbox = sandbox();
    Path bundleFile = TestBundles.builder("aot", ProbeApp.class).build(folder);
    AotCache cache = new AotCache(folder.resolve("cache"));
    LaunchRequest request = request(bundleFile, folder.resolve("lib"));
    String key = AotCache.key(request, ChildJvm.options(request.limits(), ""));
    Process gone = new ProcessBuilder("true").start();
    assertThat(gone.waitFor(10, TimeUnit.SECONDS)).isTrue();
    Files.createDirectory(folder.resolve("cache"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path leftOver = Files.createDirectory(
        folder.resolve("cache").resolve("cella-" + gone.pid() + "-1-training-1"));

    try (var first = start(sandbox, request, cache)) {
      assertThat(argumentsOf(first)).noneMatch(a -> a.startsWith("-XX:AOTCache="));
      assertThat(echo(first, request)).isEqualTo("trained?");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
      while (cache.lookup(key).isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
    }
    Path file = cache.lookup(key).orElseThrow(() -> new AssertionError("no cache was trained"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
        .isEqualTo("rwx------");
    try (Stream<Path> left = Files.list(file.getParent())) {
      assertThat(left).as("no training folder is left, nor one a dead host left")
          .containsExactly(file);
    }
    assertThat(leftOver).doesNotExist();

    try (var second = start(sandbox, request, cache)) {
      assertThat(argumentsOf(second)).contains("-XX:AOTCache=" + AotCache.INSIDE);
      assertThat(echo(second, request)).isEqualTo("trained?");
    }
  }

  @Test
  void aCacheTrainedAtTheSmallestHeap_withTheLargestFrames_isUsedByTheNextStart() throws Exception {
    // -Xmx16m -Xms16m -Xmn5m: the young generation capped at a third of the heap. A start that
    // takes a cache must be able to load its archived heap objects with the options it was
    // trained with, or the JVM refuses to start.
    Sandbox sandbox = sandbox();
    Path bundleFile = TestBundles.builder("aot-small", ProbeApp.class)
        .limits(new EnclaveLimits(16, 4, EnclaveLimits.MAX_FRAME_BYTES, 8)).build(folder);
    AotCache cache = new AotCache(folder.resolve("cache"));
    LaunchRequest request = request(bundleFile, folder.resolve("lib"));
    assertThat(ChildJvm.options(request.limits(), "")).contains("-Xmx16m", "-Xms16m", "-Xmn5m");
    String key = AotCache.key(request, ChildJvm.options(request.limits(), ""));
    try (var first = start(sandbox, request, cache)) {
      assertThat(echo(first, request)).isEqualTo("trained?");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
      while (cache.lookup(key).isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
    }
    assertThat(cache.lookup(key)).as("a trained cache").isPresent();
    try (var second = start(sandbox, request, cache)) {
      assertThat(argumentsOf(second)).contains("-XX:AOTCache=" + AotCache.INSIDE);
      assertThat(echo(second, request)).isEqualTo("trained?");
    }
  }

  @Test
  void aGarbageCache_onlyCostsSpeed_theEnclaveStillStartsAndAnswers() throws Exception {
    Sandbox sandbox = sandbox();
    Path bundleFile = TestBundles.builder("garbage", ProbeApp.class).build(folder);
    AotCache cache = new AotCache(Files.createDirectories(folder.resolve("cache")));
    LaunchRequest request = request(bundleFile, folder.resolve("lib"));
    String key = AotCache.key(request, ChildJvm.options(request.limits(), ""));
    byte[] garbage = new byte[4096];
    new SecureRandom().nextBytes(garbage);
    Files.write(folder.resolve("cache").resolve(key + ".aot"), garbage);
    try (var enclave = start(sandbox, request, cache)) {
      assertThat(argumentsOf(enclave)).contains("-XX:AOTCache=" + AotCache.INSIDE);
      assertThat(echo(enclave, request)).isEqualTo("trained?");
    }
  }

  @Test
  void aCacheOthersCouldHaveWritten_isNotUsed() throws Exception {
    Path bundleFile = TestBundles.builder("shared", ProbeApp.class).build(folder);
    LaunchRequest request = request(bundleFile, folder.resolve("lib"));
    String key = AotCache.key(request, ChildJvm.options(request.limits(), ""));
    Path cacheFolder = Files.createDirectory(folder.resolve("cache"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path file = Files.write(cacheFolder.resolve(key + ".aot"), new byte[] {1});
    AotCache cache = new AotCache(cacheFolder);
    assertThat(cache.lookup(key)).contains(file);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
    assertThat(cache.lookup(key)).isEmpty();
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    Files.setPosixFilePermissions(cacheFolder, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThat(cache.lookup(key)).isEmpty();
  }

  @Test
  void theKey_differsForOtherJarsOrOptions_andIsStableOtherwise() throws Exception {
    Path one = TestBundles.builder("one", ProbeApp.class).build(folder);
    Path two = TestBundles.builder("two", ProbeApp.class).config("other").build(folder);
    LaunchRequest a = request(one, folder.resolve("a"));
    LaunchRequest b = request(two, folder.resolve("b"));
    List<String> options = ChildJvm.options(a.limits(), "");
    assertThat(AotCache.key(a, options)).isEqualTo(AotCache.key(request(one, folder.resolve("c")),
        options));
    assertThat(AotCache.key(a, options)).isNotEqualTo(AotCache.key(b, options));
    assertThat(AotCache.key(a, options)).isNotEqualTo(AotCache.key(a, List.of("-Xmx1g")));
  }

  private static Sandbox sandbox() {
    Sandbox sandbox = Sandbox.probe().sandboxOrNull();
    assumeTrue(sandbox != null, "bubblewrap cannot run here");
    return sandbox;
  }

  private static LaunchRequest request(Path bundleFile, Path lib) throws Exception {
    Bundle bundle = Bundle.open(bundleFile);
    return new LaunchRequest(bundle.manifest().name(), bundle.identity(PlatformKind.PROCESS),
        bundleFile, bundle.writeLibraries(lib), bundle.manifest().limits(),
        frame -> Frames.error(Code.UNIMPLEMENTED, "no host calls"));
  }

  private static ProcessConnection start(Sandbox sandbox, LaunchRequest request, AotCache cache) {
    return ProcessConnection.start(sandbox, request, 1 << 20, 32 << 20, Optional.of(cache));
  }

  private static List<String> argumentsOf(ProcessConnection connection) {
    return List.of(connection.enclaveProcess().orElseThrow().info().arguments().orElseThrow());
  }

  /** Initializes the enclave as the platform would and runs {@code echo:trained?}. */
  private static String echo(ProcessConnection connection, LaunchRequest request) {
    EnclaveIdentity identity = request.identity();
    byte[] k1 = new byte[InitMessage.SEALING_KEY_BYTES];
    byte[] k2 = new byte[InitMessage.SEALING_KEY_BYTES];
    InitMessage init = new InitMessage(request.enclaveName(), identity, request.limits(),
        ProbeApp.class.getName(), List.of(), new byte[0], k1, k2);
    Frames.result(connection.call(Frames.frame(FrameType.INITIALIZE, init.encode())));
    return new String(Frames.result(connection.call(Frames.frame(FrameType.RUN,
        "echo:trained?".getBytes(StandardCharsets.UTF_8)))), StandardCharsets.UTF_8);
  }
}
