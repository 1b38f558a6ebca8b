package dev.cella.attestation.dcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.attestation.AttestationException;
import dev.cella.attestation.AttestationException.Reason;
import dev.cella.attestation.TcbStatus;
import dev.cella.attestation.VerificationContext;
import dev.cella.attestation.VerifiedEnclave;
import dev.cella.attestation.sgx.SgxDcapVerifier;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SGX v4, revocation, status convergence and QE checks on a world of test keys. */
class SyntheticDcapTest {
  private final SgxDcapVerifier verifier = new SgxDcapVerifier();
  private final TestDcap world = new TestDcap();
  @TempDir Path dir;

  private VerificationContext trusting() {
    return new VerificationContext(TestDcap.T0, List.of(world.root.cert()), true,
        Optional.of(dir));
  }

  private static void assertRefused(ThrowingCallable call, Reason reason, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(AttestationException.class,
            e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageContaining(message);
  }

  @Test
  void sgxQuoteV4_withItsQeReportInCertificationDataType6_verifies() throws Exception {
    world.collateral(dir);

    VerifiedEnclave e = verifier.verify(world.quote(4), trusting());

    assertThat(e.format()).isEqualTo("sgx-dcap-v4");
    assertThat(e.tcb().orElseThrow().status()).isEqualTo(TcbStatus.UP_TO_DATE);
    assertThat(e.tcb().orElseThrow().advisoryIds()).containsExactly("INTEL-SA-00001");
    assertThat(e.measurement().byteAt(0)).isEqualTo((byte) 0x11);
    assertThat(e.productId()).isEqualTo(7);
    assertThat(e.svn()).isEqualTo(3);
  }

  @Test
  void sgxQuoteV3_ofTheSameWorld_verifiesToTheSameIdentity() throws Exception {
    world.collateral(dir);

    VerifiedEnclave v3 = verifier.verify(world.quote(3), trusting());
    VerifiedEnclave v4 = verifier.verify(world.quote(4), trusting());

    assertThat(v3.measurement()).isEqualTo(v4.measurement());
    assertThat(v3.claims()).isEqualTo(v4.claims());
  }

  @Test
  void revokedPck_isRefusedAsRevoked() throws Exception {
    world.revokePck = true;
    world.collateral(dir);

    assertRefused(() -> verifier.verify(world.quote(4), trusting()), Reason.REVOKED,
        "(serial 1092) is revoked since");
  }

  @Test
  void outOfDateQe_turnsAnUpToDatePlatformOutOfDate() throws Exception {
    world.qeLevelStatus = "OutOfDate";
    world.collateral(dir);

    assertThat(verifier.verify(world.quote(3), trusting()).tcb().orElseThrow().status())
        .isEqualTo(TcbStatus.OUT_OF_DATE);
  }

  @Test
  void outOfDateQe_turnsConfigurationNeededIntoOutOfDateConfigurationNeeded() throws Exception {
    world.qeLevelStatus = "OutOfDate";
    world.platformStatus = "ConfigurationNeeded";
    world.collateral(dir);

    assertThat(verifier.verify(world.quote(3), trusting()).tcb().orElseThrow().status())
        .isEqualTo(TcbStatus.OUT_OF_DATE_CONFIGURATION_NEEDED);
  }

  @Test
  void revokedQe_makesTheStatusRevoked() throws Exception {
    world.qeLevelStatus = "Revoked";
    world.collateral(dir);

    assertThat(verifier.verify(world.quote(3), trusting()).tcb().orElseThrow().status())
        .isEqualTo(TcbStatus.REVOKED);
  }

  @Test
  void olderQe_takesTheLowerQeLevelAndItsAdvisory() throws Exception {
    world.qeIsvSvn = 2;
    world.collateral(dir);

    VerifiedEnclave e = verifier.verify(world.quote(3), trusting());

    assertThat(e.tcb().orElseThrow().status()).isEqualTo(TcbStatus.OUT_OF_DATE);
    assertThat(e.tcb().orElseThrow().advisoryIds())
        .containsExactly("INTEL-SA-00001", "INTEL-SA-00003");
  }

  @Test
  void lowerPlatformTcb_matchesTheLowerLevel() throws Exception {
    TestDcap w = withPckComponents(new int[] {2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    w.collateral(dir);

    VerifiedEnclave e = verifier.verify(w.quote(3), new VerificationContext(TestDcap.T0,
        List.of(w.root.cert()), true, Optional.of(dir)));

    assertThat(e.tcb().orElseThrow().status()).isEqualTo(TcbStatus.OUT_OF_DATE);
    assertThat(e.tcb().orElseThrow().advisoryIds()).containsExactly("INTEL-SA-00002");
  }

  @Test
  void platformBelowEveryLevel_isTcbLevelNotSupported() throws Exception {
    TestDcap w = withPckComponents(new int[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    w.collateral(dir);

    assertRefused(() -> verifier.verify(w.quote(3), new VerificationContext(TestDcap.T0,
        List.of(w.root.cert()), true, Optional.of(dir))), Reason.TCB_NOT_ACCEPTED,
        "TCB level not supported");
  }

  @Test
  void qeMiscselectOutsideTheIdentity_isRefused() throws Exception {
    world.qeMiscselect = "01000000";
    world.collateral(dir);

    assertRefused(() -> verifier.verify(world.quote(3), trusting()), Reason.BROKEN_CHAIN,
        "MISCSELECT 01000000, which under the mask ffffffff differs");
  }

  @Test
  void chainToARootNamedLikeIntelsButAbsent_failsOnTheIssuersSignature() throws Exception {
    world.collateral(dir);

    assertRefused(() -> verifier.verify(world.quote(3), new VerificationContext(TestDcap.T0,
        List.of(), false, Optional.of(dir))), Reason.BAD_SIGNATURE,
        "does not verify under any of the 1 certificate(s) named");
  }

  @Test
  void chainToARootNamedLikeIntelsAndSupplied_isUntrusted() throws Exception {
    world.collateral(dir);
    java.nio.file.Files.write(dir.resolve("root"), world.root.cert().getEncoded());

    assertRefused(() -> verifier.verify(world.quote(3), new VerificationContext(TestDcap.T0,
        List.of(), false, Optional.of(dir))), Reason.UNTRUSTED_ROOT,
        "a trusted root has this name but another key");
  }

  private static TestDcap withPckComponents(int[] components) {
    TestDcap w = new TestDcap();
    w.pckComponents = components;
    w.pck = w.rebuild();
    return w;
  }
}
