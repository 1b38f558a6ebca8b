package dev.cella.backend.vm;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cella.Enclave;
import dev.cella.EnclaveException;
import dev.cella.EnclaveOptions;
import dev.cella.EnclaveState;
import dev.cella.EnclaveStatus.Code;
import dev.cella.attestation.VerificationContext;
import dev.cella.attestation.VerifiedEnclave;
import dev.cella.attestation.cose.CellaEvidence;
import dev.cella.attestation.cose.CellaEvidenceVerifier;
import dev.cella.host.EnclaveManager;
import dev.cella.testing.TestBundles;
import dev.cella.testing.apps.EchoApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One real VM (seconds under TCG): the bundle runs, its evidence names the image it booted, and
 * killing QEMU makes pending and later calls fail with UNAVAILABLE while the host lives on.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class VmEnclaveTest {
  @TempDir static Path folder;
  private static Path bundle;

  @BeforeAll
  static void build() throws Exception {
    bundle = TestBundles.builder("vm-echo", EchoApp.class).config("configured").build(folder);
  }

  @Test
  void bundleRunsInTheVm_attestsItsImage_andKillingQemuMakesItUnavailable() throws Exception {
    var info = new VmBackend().info();
    assumeTrue(info.isAvailable(), () -> "vm backend unavailable: "
        + info.unavailabilityCause().orElse(""));
    try (EnclaveManager manager = EnclaveManager.create()) {
      long start = System.nanoTime();
      Enclave enclave = manager.load("vm-echo", bundle,
          EnclaveOptions.builder().backend(VmBackend.NAME).build());
      long readyMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      System.out.println("vm backend (" + (VmBackend.usesKvm() ? "KVM" : "TCG")
          + "): load to ready " + readyMillis + " ms");
      assertThat(new String(enclave.run("echo:hi".getBytes(UTF_8)), UTF_8)).isEqualTo("hi");
      assertThat(new String(enclave.run("config".getBytes(UTF_8)), UTF_8)).isEqualTo("configured");

      byte[] evidence = enclave.attest(new byte[8], new byte[0]);
      VerifiedEnclave verified = new CellaEvidenceVerifier().verify(evidence,
          new VerificationContext(Instant.now(),
              List.of(CellaEvidence.platformRoot(evidence, Instant.now())), false,
              Optional.empty()));
      assertThat(verified.platform()).isEqualTo(dev.cella.PlatformKind.VM);
      assertThat(verified.measurement().hex()).isEqualTo(enclave.identity().measurement().hex());
      Path kernel = ImageSources.detect().sourcesOrNull().kernel();
      assertThat(verified.claims()).containsEntry("vm-kernel", HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-384").digest(Files.readAllBytes(kernel))));
      assertThat(verified.claims()).containsEntry("vm-cmdline", HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-384").digest(GuestInit.COMMAND_LINE.getBytes(UTF_8))));
      assertThat(verified.claims()).containsKeys("vm-initrd", "image-measurement");

      ProcessHandle qemu = ProcessHandle.current().descendants()
          .filter(p -> p.info().arguments().map(a -> List.of(a).contains("cella-vm-echo"))
              .orElse(false))
          .findFirst().orElseThrow();
      CompletableFuture<byte[]> pending =
          CompletableFuture.supplyAsync(() -> enclave.run("sleep:60000".getBytes(UTF_8)));
      Thread.sleep(500);
      long kill = System.nanoTime();
      assertThat(qemu.destroyForcibly()).isTrue();
      assertThatThrownBy(() -> pending.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(
          EnclaveException.class).cause().satisfies(e ->
              assertThat(((EnclaveException) e).code()).isEqualTo(Code.UNAVAILABLE));
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - kill)).isLessThan(2000);
      assertThatThrownBy(() -> enclave.run("echo:later".getBytes(UTF_8)))
          .isInstanceOfSatisfying(EnclaveException.class,
              e -> assertThat(e.code()).isEqualTo(Code.UNAVAILABLE));
      assertThat(enclave.state()).isEqualTo(EnclaveState.CRASHED);
      enclave.close();
      assertThat(qemu.isAlive()).isFalse();
    }
  }
}
