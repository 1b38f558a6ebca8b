package dev.cella.backend.vm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The QEMU command line of an enclave's VM: a q35 machine without default devices, no network
 * ({@code -nic none}), no display, no monitor, the guest's console on QEMU's standard output, one
 * virtio serial port named {@code cella} connected to the host's socket, a virtio entropy
 * source, the measured kernel, initramfs and command line, and QEMU's seccomp sandbox (no new
 * privileges, no spawning, no obsolete system calls). The guest never reboots: a power-off or a
 * panic ends QEMU.
 *
 * <p>Thread-safe; stateless.
 */
final class QemuCommand {
  private QemuCommand() {}

  static List<String> of(ImageSources sources, Accelerator accelerator, VmImage image,
      Path initrd, Path socket, int memoryMebibytes, String enclaveName) {
    List<String> c = new ArrayList<>();
    c.add(sources.qemu().toString());
    c.addAll(List.of("-name", "cella-" + enclaveName.replaceAll("[^A-Za-z0-9._-]", "_")));
    c.addAll(List.of("-machine", "q35,accel=" + accelerator.id));
    c.addAll(List.of("-cpu", accelerator.cpu, "-smp", Integer.toString(accelerator.cpus)));
    c.addAll(List.of("-m", memoryMebibytes + "M"));
    c.addAll(List.of("-nodefaults", "-no-user-config", "-display", "none", "-monitor", "none"));
    c.addAll(List.of("-nic", "none"));
    c.addAll(List.of("-serial", "stdio"));
    c.addAll(List.of("-sandbox",
        "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny"));
    c.addAll(List.of("-device", "virtio-serial-pci,id=vs"));
    c.addAll(List.of("-chardev", "socket,id=cella,path=" + socket));
    c.addAll(List.of("-device", "virtserialport,bus=vs.0,chardev=cella,name=" + GuestInit.PORT_NAME));
    c.addAll(List.of("-device", "virtio-rng-pci"));
    c.addAll(List.of("-kernel", image.kernel().toString(), "-initrd", initrd.toString()));
    c.addAll(List.of("-append", image.commandLine()));
    c.add("-no-reboot");
    return c;
  }
}
