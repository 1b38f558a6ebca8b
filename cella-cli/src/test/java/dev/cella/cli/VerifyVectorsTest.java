package dev.cella.cli;

import static dev.cella.cli.CliTestBase.fails;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code cella verify} on real hardware evidence, as a relying party runs it: format detected by
 * content, collateral from the case's folder, an explicit verification time, a policy. The
 * vectors are the copies in cella-attestation's test resources (their sources are recorded
 * there, one SOURCE.md per case); every case is covered verdict by verdict in cella-attestation.
 */
class VerifyVectorsTest {
  private static final Path VECTORS =
      Path.of("..", "cella-attestation", "src", "test", "resources", "vectors");

  private static String file(String kindAndCase, String name) {
    Path path = VECTORS.resolve(kindAndCase).resolve(name);
    assertThat(path).as("test vector").exists();
    return path.toString();
  }

  private static String dir(String kindAndCase) {
    return VECTORS.resolve(kindAndCase).toString();
  }

  @Test
  void sgxQuote_atItsTime_withATcbPolicy_verifies_andAtTodayIsExpired() {
    String sgx = "sgx/sgx-v3-phala-dcapqvl-2025-06";
    Cli.Result ok = Cli.run("verify", file(sgx, "quote.bin"), "--collateral", dir(sgx),
        "--at", "2025-07-19T10:01:17Z",
        "--policy", "identity=any tcb=ConfigurationAndSWHardeningNeeded", "--json");
    assertThat(ok.status()).as(ok.toString()).isZero();
    assertThat(ok.out()).contains("\"platform\" : \"sgx\"")
        .contains("\"status\" : \"ConfigurationAndSWHardeningNeeded\"").contains("INTEL-SA-00615");
    fails(Cli.run("verify", file(sgx, "quote.bin"), "--collateral", dir(sgx),
        "--at", "2025-07-19T10:01:17Z"), 3, "TCB_NOT_ACCEPTED");
    fails(Cli.run("verify", file(sgx, "quote.bin"), "--collateral", dir(sgx),
        "--policy", "identity=any tcb=ConfigurationAndSWHardeningNeeded"), 3, "EXPIRED");
  }

  @Test
  void tdxQuote_atItsTime_isUpToDate() {
    String tdx = "tdx/tdx-v4-phala-dcapqvl-2025-06";
    Cli.Result ok = Cli.run("verify", file(tdx, "quote.bin"), "--collateral", dir(tdx),
        "--at", "2025-07-19T10:00:34Z", "--json");
    assertThat(ok.status()).as(ok.toString()).isZero();
    assertThat(ok.out()).contains("\"platform\" : \"tdx\"").contains("\"status\" : \"UpToDate\"")
        .contains("\"mrtd\"");
  }

  @Test
  void snpReport_ofADebugGuest_needsDebugAllow() {
    String snp = "snp/snp-v2-gosevguest-milan-vcek";
    fails(Cli.run("verify", file(snp, "report.bin"), "--collateral", dir(snp),
        "--at", "2022-09-24T01:00:00Z"), 3, "debug");
    Cli.Result ok = Cli.run("verify", file(snp, "report.bin"), "--collateral", dir(snp),
        "--at", "2022-09-24T01:00:00Z", "--policy", "identity=any debug=allow");
    assertThat(ok.status()).as(ok.toString()).isZero();
    assertThat(ok.out()).contains("platform      snp").contains("debug         yes");
  }

  @Test
  void nitroDocument_atItsTime_verifies_andAtTodayIsExpired_andAPcrPolicyIsApplied() {
    String nitro = "nitro/nitro-blocky-2024-09-07";
    String document = file(nitro, "attestation_doc.cose");
    Cli.Result ok = Cli.run("verify", document, "--at", "2024-09-07T14:37:39Z", "--json");
    assertThat(ok.status()).as(ok.toString()).isZero();
    assertThat(ok.out()).contains("\"platform\" : \"nitro\"").contains("\"pcr0\"");
    fails(Cli.run("verify", document), 3, "EXPIRED");
    fails(Cli.run("verify", document, "--at", "2024-09-07T14:37:39Z",
        "--policy", "identity=any pcr0=" + "00".repeat(48)), 3, "pcr0");
  }

  @Test
  void aTestRootWithTheProductionName_isRefused() throws Exception {
    String qvl = "sgx/sgx-v3-intel-qvl-sample-testroot";
    assertThat(Files.isDirectory(Path.of(dir(qvl)))).isTrue();
    fails(Cli.run("verify", file(qvl, "quote.dat"), "--collateral", dir(qvl),
        "--at", "2025-01-01T00:00:00Z"), 3, "UNTRUSTED_ROOT");
  }
}
