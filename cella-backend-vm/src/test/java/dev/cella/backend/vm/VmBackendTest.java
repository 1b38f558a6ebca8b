package dev.cella.backend.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.EnclaveException;
import dev.cella.EnclaveOptions;
import dev.cella.EnclaveStatus.Code;
import dev.cella.PlatformKind;
import dev.cella.SecurityLevel;
import dev.cella.bundle.NetworkGrant;
import dev.cella.host.EnclaveManager;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The threat model, discovery, and the pieces of the VM's command line and image. */
class VmBackendTest {
  @Test
  void info_namesTheBackend_andSaysWhatItDoesNotProtectAgainst() {
    var info = new VmBackend().info();
    assertThat(info.name()).isEqualTo("vm");
    assertThat(info.platform()).isEqualTo(PlatformKind.VM);
    assertThat(info.securityLevel()).isEqualTo(SecurityLevel.VM_ISOLATION);
    assertThat(info.doesNotProtectAgainst())
        .anyMatch(s -> s.contains("forge evidence") && s.contains("sealing keys"))
        .anyMatch(s -> s.contains("memory encryption"));
    assertThat(info.protectsAgainst()).anyMatch(s -> s.contains("no network device"));
  }

  @Test
  void bundleWithNetworkGrants_isRefusedAtLaunch_beforeAnyBoot(@TempDir Path dir) throws Exception {
    Path bundle = dev.cella.testing.TestBundles.builder("granted", dev.cella.testing.apps.EchoApp.class)
        .network(new NetworkGrant.Listen(8443)).build(dir);
    try (EnclaveManager manager = EnclaveManager.create(List.of(new VmBackend()), dir.resolve("home"))) {
      assertThatThrownBy(() -> manager.load("granted", bundle,
              EnclaveOptions.builder().backend("vm").build()))
          .isInstanceOfSatisfying(EnclaveException.class,
              e -> assertThat(e.code()).isEqualTo(Code.FAILED_PRECONDITION))
          .hasMessageContaining("does not provide network grants")
          .hasMessageContaining("process backend");
    }
  }

  @Test
  void withoutQemu_theSourcesAreMissing_sayingWhatToInstall() {
    String before = System.getProperty("cella.vm.qemu");
    System.setProperty("cella.vm.qemu", "/nonexistent/qemu-system-x86_64");
    try {
      var detected = ImageSources.detect();
      assertThat(detected.sourcesOrNull()).isNull();
      assertThat(detected.missingOrNull()).contains("apt-get install qemu-system-x86");
    } finally {
      if (before == null) {
        System.clearProperty("cella.vm.qemu");
      } else {
        System.setProperty("cella.vm.qemu", before);
      }
    }
  }

  @Test
  void qemuCommand_hasNoNetwork_oneSerialChannel_andTheSandbox() {
    ImageSources sources = new ImageSources(Path.of("/usr/bin/qemu-system-x86_64"),
        Path.of("/boot/vmlinuz-x"), Path.of("/lib/modules/x"), Path.of("/bin/busybox"),
        Path.of("/jdk"), ImageSources.RUNTIME_MODULES);
    VmImage image = new VmImage(Path.of("/boot/vmlinuz-x"), Path.of("/cache/initramfs.cpio"),
        GuestInit.COMMAND_LINE, VmImage.sha384(new byte[1]), VmImage.sha384(new byte[2]),
        VmImage.commandLineDigest(GuestInit.COMMAND_LINE));
    List<String> command = QemuCommand.of(sources, Accelerator.TCG, image, Path.of("/f/init"),
        Path.of("/f/channel"), 640, "my enclave");
    String joined = String.join(" ", command);
    assertThat(joined).contains("-nic none").contains("-nodefaults").contains("accel=tcg")
        .contains("-sandbox on,").contains("name=cella").contains("-name cella-my_enclave")
        .contains("-initrd /f/init").contains("-no-reboot");
    assertThat(joined).doesNotContain("-netdev").doesNotContain("virtio-net")
        .doesNotContain("-drive").doesNotContain("-virtfs");
    assertThat(command.get(command.indexOf("-append") + 1)).isEqualTo(GuestInit.COMMAND_LINE);
  }

  @Test
  void lddOutput_givesTheHostLibrariesOutsideTheJdk() {
    String output = """
        /j/bin/java:
        \tlinux-vdso.so.1 (0x00007ffd)
        \tlibjli.so => /j/bin/../lib/libjli.so (0x00007f)
        \tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f)
        \t/lib64/ld-linux-x86-64.so.2 (0x00007f)
        /j/lib/libnet.so:
        \tlibm.so.6 => /lib/x86_64-linux-gnu/libm.so.6 (0x00007f)
        """;
    assertThat(SharedLibraries.parse(output, Path.of("/j"))).containsExactly(
        Path.of("/lib/x86_64-linux-gnu/libc.so.6"), Path.of("/lib/x86_64-linux-gnu/libm.so.6"),
        Path.of("/lib64/ld-linux-x86-64.so.2"));
  }

  @Test
  void imageMeasurement_combinesTheThreeDigests_andChangesWithEach() {
    VmImage image = new VmImage(Path.of("k"), Path.of("i"), "c", VmImage.sha384(new byte[1]),
        VmImage.sha384(new byte[2]), VmImage.commandLineDigest("c"));
    VmImage otherLine = new VmImage(Path.of("k"), Path.of("i"), "d", VmImage.sha384(new byte[1]),
        VmImage.sha384(new byte[2]), VmImage.commandLineDigest("d"));
    assertThat(image.imageMeasurement()).isNotEqualTo(otherLine.imageMeasurement());
    assertThat(image.evidenceFacts()).containsKeys("vm-kernel", "vm-initrd", "vm-cmdline",
        "image-measurement");
  }
}
