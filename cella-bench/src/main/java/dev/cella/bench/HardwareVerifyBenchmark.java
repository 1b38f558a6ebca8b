package dev.cella.bench;

import dev.cella.attestation.AttestationPolicy;
import dev.cella.attestation.AttestationVerifier;
import dev.cella.attestation.VerifiedEnclave;
import dev.cella.attestation.hardware.internal.Caches;
import dev.cella.attestation.hardware.internal.SignatureChecks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Verification of real hardware evidence (the test vectors) per format: cold (every cache
 * forgotten: certificates and collateral parsed, every signature checked) and warm (collateral
 * and chains cached by content, so only the evidence's own signatures are checked). Issue target:
 * warm SGX and TDX verification at most 2 ms. The tear-down prints the signature checks per call.
 *
 * <p>Run: {@code cella-bench/run HardwareVerifyBenchmark} (the script points {@code
 * cella.vectors} at cella-attestation's test vectors).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@org.openjdk.jmh.annotations.Measurement(iterations = 5, time = 1)
@Fork(1)
public class HardwareVerifyBenchmark {
  @Param({"sgx", "tdx", "snp", "nitro"})
  public String format;

  private byte[] evidence;
  private AttestationPolicy policy;
  private AttestationVerifier verifier;
  private AttestationVerifier.Options options;
  private long calls;
  private long checksBefore;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Path vectors = Path.of(System.getProperty("cella.vectors",
        "cella-attestation/src/test/resources/vectors"));
    String dir;
    String file;
    String at;
    String policyText = "identity=any";
    switch (format) {
      case "sgx" -> {
        dir = "sgx/sgx-v3-phala-dcapqvl-2025-06";
        file = "quote.bin";
        at = "2025-07-19T10:01:17Z";
        policyText += " tcb=ConfigurationAndSWHardeningNeeded";
      }
      case "tdx" -> {
        dir = "tdx/tdx-v4-phala-dcapqvl-2025-06";
        file = "quote.bin";
        at = "2025-07-19T10:00:34Z";
      }
      case "snp" -> {
        dir = "snp/snp-v2-gosevguest-milan-vcek";
        file = "report.bin";
        at = "2022-09-24T01:00:00Z";
        policyText += " debug=allow";
      }
      case "nitro" -> {
        dir = "nitro/nitro-blocky-2024-09-07";
        file = "attestation_doc.cose";
        at = "2024-09-07T14:37:39Z";
      }
      default -> throw new IllegalArgumentException(format);
    }
    Path caseDir = vectors.resolve(dir);
    evidence = Files.readAllBytes(caseDir.resolve(file));
    policy = AttestationPolicy.parse(policyText);
    verifier = AttestationVerifier.create();
    options = AttestationVerifier.Options.at(Instant.parse(at)).withCollateralDir(caseDir);
    verifier.verify(evidence, policy, options);
    checksBefore = SignatureChecks.performed();
  }

  @TearDown(Level.Trial)
  public void report() {
    long checks = SignatureChecks.performed() - checksBefore;
    System.out.printf("%n%s: %.2f signature checks per verification over %d calls%n", format,
        calls == 0 ? 0.0 : (double) checks / calls, calls);
  }

  @Benchmark
  public VerifiedEnclave warm() throws Exception {
    calls++;
    return verifier.verify(evidence, policy, options);
  }

  @Benchmark
  public VerifiedEnclave cold() throws Exception {
    calls++;
    Caches.forgetAll();
    return verifier.verify(evidence, policy, options);
  }
}
