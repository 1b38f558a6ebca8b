package dev.cella.backend.vm;

import java.util.List;

/**
 * The guest's {@code /init}, a busybox shell script and the only process besides the JVM: it
 * mounts {@code /dev}, {@code /proc}, {@code /sys} and a private 64 MiB {@code /tmp}, loads the
 * virtio modules for the channel and the entropy source, finds the serial port named {@code
 * cella}, starts the runtime from {@code /cella/lib/*.jar} (the bundle's jars, in the archive
 * appended at launch) with the JVM options in {@code /cella/jvm-options}, and powers the VM off
 * when the runtime exits. The script is part of the measured base initramfs.
 *
 * <p>Thread-safe (constants only).
 */
final class GuestInit {
  /** The kernel modules loaded, in order (dependencies first). */
  static final List<String> MODULES = List.of(
      "kernel/drivers/virtio/virtio_ring.ko",
      "kernel/drivers/virtio/virtio.ko",
      "kernel/drivers/virtio/virtio_pci_modern_dev.ko",
      "kernel/drivers/virtio/virtio_pci_legacy_dev.ko",
      "kernel/drivers/virtio/virtio_pci.ko",
      "kernel/drivers/char/virtio_console.ko",
      "kernel/drivers/char/hw_random/virtio-rng.ko");

  /**
   * The kernel command line: console on the first serial port, no reboot after a panic, and no
   * check of the IO-APIC timer at boot, which an emulated CPU starved by a loaded host fails
   * ("IO-APIC + timer doesn't work!", a panic).
   */
  static final String COMMAND_LINE =
      "console=ttyS0 quiet loglevel=3 panic=-1 no_timer_check rdinit=/init";

  /** The port's name, as the host's {@code virtserialport} device names it. */
  static final String PORT_NAME = "cella";

  static final String RUNNER = "dev.cella.enclave.internal.runner.VmRunner";

  private GuestInit() {}

  static String script() {
    StringBuilder s = new StringBuilder();
    s.append("#!/bin/busybox sh\n");
    s.append("# Cella vm guest init (measured as part of the initramfs).\n");
    s.append("export PATH=/bin\n");
    s.append("/bin/busybox mount -t devtmpfs dev /dev\n");
    s.append("/bin/busybox mount -t proc proc /proc\n");
    s.append("/bin/busybox mount -t sysfs sys /sys\n");
    s.append("/bin/busybox mount -t tmpfs -o size=64m,mode=1777 tmp /tmp\n");
    for (String module : MODULES) {
      String file = module.substring(module.lastIndexOf('/') + 1);
      s.append("/bin/busybox insmod /lib/modules/").append(file).append('\n');
    }
    s.append("port=\n");
    s.append("for p in /sys/class/virtio-ports/*; do\n");
    s.append("  [ \"$(/bin/busybox cat $p/name 2>/dev/null)\" = ").append(PORT_NAME)
        .append(" ] && port=/dev/${p##*/}\n");
    s.append("done\n");
    s.append("cp=\n");
    s.append("for j in /cella/lib/*.jar; do cp=\"$cp${cp:+:}$j\"; done\n");
    s.append("if [ -z \"$port\" ]; then echo 'cella-vm: no port named ").append(PORT_NAME)
        .append("'; else\n");
    s.append("  echo \"cella-vm: kernel up $(/bin/busybox cut -d' ' -f1 /proc/uptime) s\"\n");
    s.append("  /jdk/bin/java $(/bin/busybox cat /cella/jvm-options) -cp \"$cp\" ")
        .append(RUNNER).append(" /cella/bundle.cella \"$port\"")
        .append(" $(/bin/busybox cat /cella/max-message-bytes)\n");
    s.append("  echo \"cella-vm: the runtime exited with status $?\"\n");
    s.append("fi\n");
    s.append("/bin/busybox poweroff -f\n");
    return s.toString();
  }
}
