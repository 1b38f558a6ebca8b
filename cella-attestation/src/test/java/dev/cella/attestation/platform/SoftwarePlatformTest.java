package dev.cella.attestation.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.PlatformKind;
import dev.cella.attestation.Fixtures;
import dev.cella.attestation.internal.PlatformCertificates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SoftwarePlatformTest {
  private static final byte[] INFO = "test seal".getBytes(StandardCharsets.US_ASCII);

  @TempDir Path home;

  private Path dir(PlatformKind kind) {
    return home.resolve("platforms").resolve(kind.id());
  }

  @Test
  void open_firstUse_createsOwnerOnlyDirectoryAndFiles() throws IOException {
    try (SoftwarePlatform platform = SoftwarePlatform.open(PlatformKind.PROCESS, dir(PlatformKind.PROCESS))) {
      assertThat(platform.directory()).isEqualTo(dir(PlatformKind.PROCESS));
    }
    Path dir = dir(PlatformKind.PROCESS);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        names.add(file.getFileName().toString());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
            .as(file.toString()).isEqualTo("rw-------");
      }
    }
    assertThat(names).containsExactlyInAnyOrder(".lock", "platform.properties", "root.crt",
        "root.key", "attestation.pem", "sealing-root.bin");
    assertThat(Files.size(dir.resolve("sealing-root.bin"))).isEqualTo(32);
  }

  @Test
  void rootCertificate_isSelfSignedLongLivedCaNamingTheKind() throws Exception {
    try (SoftwarePlatform platform = SoftwarePlatform.open(PlatformKind.SIM, dir(PlatformKind.SIM))) {
      X509Certificate root = platform.rootCertificate();
      assertThat(root.getSubjectX500Principal().getName()).isEqualTo("CN=Cella sim platform root,O=Cella");
      assertThat(platform.rootCertificatePem()).startsWith("-----BEGIN CERTIFICATE-----\n")
          .endsWith("-----END CERTIFICATE-----\n");
      assertThat(java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(
          new java.io.ByteArrayInputStream(platform.rootCertificatePem().getBytes(StandardCharsets.US_ASCII))))
          .isEqualTo(root);
      assertThat(Files.readString(dir(PlatformKind.SIM).resolve("root.crt"))).isEqualTo(platform.rootCertificatePem());
      assertThat(root.getBasicConstraints()).isGreaterThanOrEqualTo(0);
      root.verify(root.getPublicKey());
      assertThat(root.getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(3000)));
      List<X509Certificate> chain = platform.certificateChain();
      assertThat(chain).hasSize(2).element(1).isEqualTo(root);
      X509Certificate leaf = chain.get(0);
      leaf.verify(root.getPublicKey());
      assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
      assertThat(leaf.getNotAfter().toInstant()).isBefore(Instant.now().plus(Duration.ofDays(91)));
    }
  }

  @Test
  void open_again_keepsRootLeafAndSealingSeeds() {
    X509Certificate root;
    X509Certificate leaf;
    byte[] seed;
    try (SoftwarePlatform first = SoftwarePlatform.open(PlatformKind.VM, dir(PlatformKind.VM))) {
      root = first.rootCertificate();
      leaf = first.certificateChain().get(0);
      seed = first.deriveSealingSeed(INFO);
    }
    try (SoftwarePlatform second = SoftwarePlatform.open(PlatformKind.VM, dir(PlatformKind.VM))) {
      assertThat(second.rootCertificate()).isEqualTo(root);
      assertThat(second.certificateChain().get(0)).isEqualTo(leaf);
      assertThat(second.deriveSealingSeed(INFO)).isEqualTo(seed);
    }
  }

  @Test
  void deriveSealingSeed_isHkdfSha384OfTheSealingRootWithInfo() throws Exception {
    try (SoftwarePlatform platform = SoftwarePlatform.open(PlatformKind.SIM, dir(PlatformKind.SIM))) {
      byte[] root = Files.readAllBytes(dir(PlatformKind.SIM).resolve("sealing-root.bin"));
      // RFC 5869 by hand: PRK = HMAC(salt = 48 zero bytes, IKM); OKM = HMAC(PRK, info || 0x01)[0..32)
      Mac mac = Mac.getInstance("HmacSHA384");
      mac.init(new SecretKeySpec(new byte[48], "HmacSHA384"));
      byte[] prk = mac.doFinal(root);
      mac.init(new SecretKeySpec(prk, "HmacSHA384"));
      mac.update(INFO);
      mac.update((byte) 1);
      byte[] expected = java.util.Arrays.copyOf(mac.doFinal(), 32);
      assertThat(platform.deriveSealingSeed(INFO)).hasSize(32).isEqualTo(expected);
    }
  }

  @Test
  void deriveSealingSeed_otherInfo_givesOtherSeed_andEmptyInfoIsRefused() {
    try (SoftwarePlatform platform = SoftwarePlatform.open(PlatformKind.SIM, dir(PlatformKind.SIM))) {
      assertThat(platform.deriveSealingSeed(INFO))
          .isNotEqualTo(platform.deriveSealingSeed("other".getBytes(StandardCharsets.US_ASCII)));
      assertThatThrownBy(() -> platform.deriveSealingSeed(new byte[0]))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void deriveSealingSeed_onOtherPlatformDirectory_givesOtherSeed() {
    try (SoftwarePlatform a = SoftwarePlatform.open(PlatformKind.SIM, home.resolve("a"));
        SoftwarePlatform b = SoftwarePlatform.open(PlatformKind.SIM, home.resolve("b"))) {
      assertThat(a.deriveSealingSeed(INFO)).isNotEqualTo(b.deriveSealingSeed(INFO));
      assertThat(a.rootCertificate()).isNotEqualTo(b.rootCertificate());
    }
  }

  @Test
  void close_isIdempotent_andLaterUseFailsWithFailedPrecondition() {
    SoftwarePlatform platform = SoftwarePlatform.open(PlatformKind.SIM, dir(PlatformKind.SIM));
    platform.close();
    platform.close();
    assertThatThrownBy(() -> platform.deriveSealingSeed(INFO))
        .isInstanceOfSatisfying(EnclaveException.class,
            e -> assertThat(e.code()).isEqualTo(Code.FAILED_PRECONDITION));
    assertThatThrownBy(() -> platform.issueEvidence(Fixtures.identity(PlatformKind.SIM),
            new byte[0], new byte[0], Fixtures.FACTS))
        .isInstanceOfSatisfying(EnclaveException.class,
            e -> assertThat(e.code()).isEqualTo(Code.FAILED_PRECONDITION));
  }

  @Test
  void concurrentFirstUse_fromManyThreads_yieldsOneRootAndOneSealingRoot() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (int trial = 0; trial < 5; trial++) {
        Path dir = home.resolve("race-" + trial);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> results = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          results.add(pool.submit(() -> {
            start.await();
            try (SoftwarePlatform p = SoftwarePlatform.open(PlatformKind.PROCESS, dir)) {
              return PlatformCertificates.sha256Fingerprint(p.rootCertificate()) + "/"
                  + java.util.HexFormat.of().formatHex(p.deriveSealingSeed(INFO));
            }
          }));
        }
        start.countDown();
        Set<String> distinct = new HashSet<>();
        for (Future<String> result : results) {
          distinct.add(result.get(60, TimeUnit.SECONDS));
        }
        assertThat(distinct).as("trial " + trial).hasSize(1);
        try (SoftwarePlatform after = SoftwarePlatform.open(PlatformKind.PROCESS, dir)) {
          assertThat(distinct.iterator().next())
              .startsWith(PlatformCertificates.sha256Fingerprint(after.rootCertificate()));
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void concurrentFirstUse_fromTwoJvms_yieldsOneRoot() throws Exception {
    Path dir = dir(PlatformKind.PROCESS);
    Process a = child(PlatformKind.PROCESS, dir);
    Process b = child(PlatformKind.PROCESS, dir);
    String rootA = output(a);
    String rootB = output(b);
    assertThat(rootA).matches("[0-9a-f]{64}").isEqualTo(rootB);
    try (SoftwarePlatform here = SoftwarePlatform.open(PlatformKind.PROCESS, dir)) {
      assertThat(PlatformCertificates.sha256Fingerprint(here.rootCertificate())).isEqualTo(rootA);
    }
  }

  @Test
  void issueEvidence_onSim_logsOneWarningPerJvm() throws Exception {
    Process child = child(PlatformKind.SIM, dir(PlatformKind.SIM), "issue-twice");
    output(child);
    String stderr = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(stderr.split("issuing SIMULATED evidence", -1)).hasSize(2);
    assertThat(stderr).contains("WARNING");
  }

  @Test
  void insecureAcceptSimulatedPolicies_logOneWarningPerJvm() throws Exception {
    Process child = child(PlatformKind.SIM, dir(PlatformKind.SIM), "policy-twice");
    output(child);
    String stderr = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(stderr.split("accepts SIMULATED evidence", -1)).hasSize(2);
  }

  @Test
  void open_directoryOfAnotherKind_isRefused() {
    SoftwarePlatform.open(PlatformKind.SIM, dir(PlatformKind.SIM)).close();
    assertThatThrownBy(() -> SoftwarePlatform.open(PlatformKind.PROCESS, dir(PlatformKind.SIM)))
        .isInstanceOfSatisfying(EnclaveException.class,
            e -> assertThat(e.code()).isEqualTo(Code.FAILED_PRECONDITION))
        .hasMessageContaining("not a process platform directory");
  }

  @Test
  void open_hardwareKind_isRefused() {
    assertThatThrownBy(() -> SoftwarePlatform.open(PlatformKind.SGX, dir(PlatformKind.SGX)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void open_keyFileReadableByGroup_isRefused() throws IOException {
    SoftwarePlatform.open(PlatformKind.SIM, dir(PlatformKind.SIM)).close();
    Path key = dir(PlatformKind.SIM).resolve("attestation.pem");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));
    assertThatThrownBy(() -> SoftwarePlatform.open(PlatformKind.SIM, dir(PlatformKind.SIM)))
        .isInstanceOfSatisfying(EnclaveException.class,
            e -> assertThat(e.code()).isEqualTo(Code.FAILED_PRECONDITION))
        .hasMessageContaining("chmod 600");
  }

  @Test
  void open_directoryAccessibleByOthers_isRefused() throws IOException {
    SoftwarePlatform.open(PlatformKind.SIM, dir(PlatformKind.SIM)).close();
    Files.setPosixFilePermissions(dir(PlatformKind.SIM), PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThatThrownBy(() -> SoftwarePlatform.open(PlatformKind.SIM, dir(PlatformKind.SIM)))
        .isInstanceOfSatisfying(EnclaveException.class,
            e -> assertThat(e.code()).isEqualTo(Code.FAILED_PRECONDITION))
        .hasMessageContaining("chmod 700");
  }

  @Test
  void open_afterInterruptedCreation_startsOverCleanly() throws IOException {
    Path dir = dir(PlatformKind.SIM);
    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwx------")));
    Files.write(dir.resolve("sealing-root.bin"), new byte[5]);
    Files.write(dir.resolve(".tmp-123.part"), new byte[] {1});
    Files.setPosixFilePermissions(dir.resolve("sealing-root.bin"), PosixFilePermissions.fromString("rw-------"));
    try (SoftwarePlatform platform = SoftwarePlatform.open(PlatformKind.SIM, dir)) {
      assertThat(platform.deriveSealingSeed(INFO)).hasSize(32);
    }
    assertThat(Files.size(dir.resolve("sealing-root.bin"))).isEqualTo(32);
    assertThat(dir.resolve(".tmp-123.part")).doesNotExist();
  }

  @Test
  void open_damagedSealingRoot_isDataLoss_andNeverReplaced() throws IOException {
    SoftwarePlatform.open(PlatformKind.SIM, dir(PlatformKind.SIM)).close();
    Path file = dir(PlatformKind.SIM).resolve("sealing-root.bin");
    Files.write(file, new byte[31]);
    assertThatThrownBy(() -> SoftwarePlatform.open(PlatformKind.SIM, dir(PlatformKind.SIM)))
        .isInstanceOfSatisfying(EnclaveException.class,
            e -> assertThat(e.code()).isEqualTo(Code.DATA_LOSS));
    assertThat(Files.size(file)).isEqualTo(31);
  }

  @Test
  void open_missingAttestationFile_isDataLoss() throws IOException {
    SoftwarePlatform.open(PlatformKind.SIM, dir(PlatformKind.SIM)).close();
    Files.delete(dir(PlatformKind.SIM).resolve("attestation.pem"));
    assertThatThrownBy(() -> SoftwarePlatform.open(PlatformKind.SIM, dir(PlatformKind.SIM)))
        .isInstanceOfSatisfying(EnclaveException.class,
            e -> assertThat(e.code()).isEqualTo(Code.DATA_LOSS));
  }

  @Test
  void issueEvidence_whenLeafNearExpiry_reissuesLeafUnderSameRoot() {
    AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
    Clock clock = new Clock() {
      @Override public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override public Clock withZone(java.time.ZoneId zone) {
        throw new UnsupportedOperationException();
      }

      @Override public Instant instant() {
        return now.get();
      }
    };
    try (SoftwarePlatform platform = SoftwarePlatform.open(PlatformKind.SIM, dir(PlatformKind.SIM), clock)) {
      X509Certificate root = platform.rootCertificate();
      X509Certificate oldLeaf = platform.certificateChain().get(0);
      platform.issueEvidence(Fixtures.identity(PlatformKind.SIM), new byte[0], new byte[0], Fixtures.FACTS);
      assertThat(platform.certificateChain().get(0)).isEqualTo(oldLeaf);

      now.set(oldLeaf.getNotAfter().toInstant().minus(Duration.ofDays(1)));
      platform.issueEvidence(Fixtures.identity(PlatformKind.SIM), new byte[0], new byte[0], Fixtures.FACTS);
      X509Certificate newLeaf = platform.certificateChain().get(0);
      assertThat(newLeaf).isNotEqualTo(oldLeaf);
      assertThat(newLeaf.getPublicKey()).isNotEqualTo(oldLeaf.getPublicKey());
      assertThat(newLeaf.getNotAfter()).isAfter(oldLeaf.getNotAfter());
      assertThat(platform.rootCertificate()).isEqualTo(root);
      try (SoftwarePlatform reopened = SoftwarePlatform.open(PlatformKind.SIM, dir(PlatformKind.SIM), clock)) {
        assertThat(reopened.certificateChain().get(0)).isEqualTo(newLeaf);
      }
    }
  }

  @Test
  void issueEvidence_outOfRangeArguments_areRefused() {
    try (SoftwarePlatform platform = SoftwarePlatform.open(PlatformKind.PROCESS, dir(PlatformKind.PROCESS))) {
      var identity = Fixtures.identity(PlatformKind.PROCESS);
      assertThatThrownBy(() -> platform.issueEvidence(identity, new byte[65], new byte[0], Fixtures.FACTS))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nonce");
      assertThatThrownBy(() -> platform.issueEvidence(identity, new byte[0], new byte[65], Fixtures.FACTS))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("report data");
      assertThatThrownBy(() -> platform.issueEvidence(Fixtures.identity(PlatformKind.VM),
              new byte[0], new byte[0], Fixtures.FACTS))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot vouch");
      assertThatThrownBy(() -> platform.issueEvidence(identity, new byte[0], new byte[0],
              Map.of("jdk-version", "25")))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("backend-version");
      Map<String, String> unknown = new HashMap<>(Fixtures.FACTS);
      unknown.put("kernel", "6.1");
      assertThatThrownBy(() -> platform.issueEvidence(identity, new byte[0], new byte[0], unknown))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kernel");
      Map<String, String> image = new HashMap<>(Fixtures.FACTS);
      image.put("image-measurement", "00".repeat(48));
      assertThatThrownBy(() -> platform.issueEvidence(identity, new byte[0], new byte[0], image))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only the vm");
      assertThat(platform.issueEvidence(identity, new byte[64], new byte[64], Fixtures.FACTS)).isNotEmpty();
    }
  }

  @Test
  void defaultDirectory_followsCellaHomeProperty() {
    String previous = System.getProperty(SoftwarePlatform.HOME_PROPERTY);
    System.setProperty(SoftwarePlatform.HOME_PROPERTY, home.toString());
    try {
      assertThat(SoftwarePlatform.defaultDirectory(PlatformKind.VM))
          .isEqualTo(home.resolve("platforms").resolve("vm"));
    } finally {
      if (previous == null) {
        System.clearProperty(SoftwarePlatform.HOME_PROPERTY);
      } else {
        System.setProperty(SoftwarePlatform.HOME_PROPERTY, previous);
      }
    }
  }

  private static Process child(PlatformKind kind, Path dir, String... extra) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        PlatformChild.class.getName(), kind.id(), dir.toString()));
    command.addAll(List.of(extra));
    return new ProcessBuilder(command).start();
  }

  private static String output(Process process) throws Exception {
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("child JVM did not finish in 60 s");
    }
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (process.exitValue() != 0) {
      throw new AssertionError("child JVM failed: " + out + "\n"
          + new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }
    return out;
  }
}
