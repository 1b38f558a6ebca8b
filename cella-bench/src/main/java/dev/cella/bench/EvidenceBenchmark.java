package dev.cella.bench;

import dev.cella.Bytes;
import dev.cella.EnclaveIdentity;
import dev.cella.Measurement;
import dev.cella.PlatformKind;
import dev.cella.SignerId;
import dev.cella.attestation.AttestationPolicy;
import dev.cella.attestation.AttestationVerifier;
import dev.cella.attestation.VerifiedEnclave;
import dev.cella.attestation.platform.SoftwarePlatform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Evidence generation and verification on a software platform (process kind: no insecure
 * opt-in), against the floor of the same work — one raw P-384 signature, and the three raw P-384
 * verifications a verifier must do (the evidence, the leaf certificate, the root's own).
 *
 * <p>Run: {@code cella-bench/run EvidenceBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@org.openjdk.jmh.annotations.Measurement(iterations = 5, time = 1)
@Fork(1)
public class EvidenceBenchmark {
  private Path home;
  private SoftwarePlatform platform;
  private EnclaveIdentity identity;
  private byte[] nonce;
  private byte[] evidence;
  private AttestationPolicy policy;
  private AttestationVerifier verifier;
  private KeyPair rawKey;
  private byte[] rawSignature;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    home = Files.createTempDirectory("cella-bench-evidence");
    platform = SoftwarePlatform.open(PlatformKind.PROCESS, home.resolve("process"));
    byte[] digest = new byte[48];
    digest[0] = 7;
    identity = new EnclaveIdentity(Measurement.of(digest), SignerId.of(digest), 1, 2, false,
        PlatformKind.PROCESS);
    nonce = new byte[32];
    evidence = issue();
    policy = AttestationPolicy.builder().measurement(Bytes.of(digest)).nonce(Bytes.of(nonce))
        .trustSoftwarePlatform(platform.rootCertificate()).build();
    verifier = AttestationVerifier.create();
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp384r1"));
    rawKey = generator.generateKeyPair();
    rawSignature = rawSign();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    platform.close();
    try (var files = Files.walk(home)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private byte[] issue() {
    return platform.issueEvidence(identity, nonce, new byte[48],
        Map.of("jdk-version", "25", "backend-version", "bench"));
  }

  private byte[] rawSign() throws Exception {
    Signature signer = Signature.getInstance("SHA384withECDSA");
    signer.initSign(rawKey.getPrivate());
    signer.update(evidence, 0, Math.min(evidence.length, 400));
    return signer.sign();
  }

  private boolean rawVerify() throws Exception {
    Signature check = Signature.getInstance("SHA384withECDSA");
    check.initVerify(rawKey.getPublic());
    check.update(evidence, 0, Math.min(evidence.length, 400));
    return check.verify(rawSignature);
  }

  /** Floor of generation: one P-384 signature over about the claims' size. */
  @Benchmark
  public byte[] rawP384Sign() throws Exception {
    return rawSign();
  }

  @Benchmark
  public byte[] issueEvidence() {
    return issue();
  }

  /** Floor of verification: three P-384 verifications. */
  @Benchmark
  public boolean rawThreeP384Verifies() throws Exception {
    return rawVerify() & rawVerify() & rawVerify();
  }

  @Benchmark
  public VerifiedEnclave verifyEvidence() throws Exception {
    return verifier.verify(evidence, policy);
  }
}
