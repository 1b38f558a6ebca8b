package dev.cella.backend.vm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How QEMU runs the guest's CPU: {@code KVM} (hardware virtualization) or {@code TCG} (QEMU's
 * emulator, tens of times slower). {@link #choose} takes KVM only after really booting a kernel
 * under it: on some machines {@code /dev/kvm} exists but guests abort or hang, so the probe boots
 * the image's kernel without an initramfs, which runs until it panics for want of a root file
 * system, and accepts KVM only if that panic is reached within {@link #PROBE_TIMEOUT_SECONDS}.
 * The system property {@code cella.vm.accel} ({@code auto}, {@code kvm}, {@code tcg}) overrides.
 *
 * <p>Thread-safe (an enum).
 */
enum Accelerator {
  KVM("kvm", "host", 2, 60),
  TCG("tcg", "max", 1, 300);

  static final long PROBE_TIMEOUT_SECONDS = 15;
  private static final int MAX_PROBE_OUTPUT = 1 << 20;

  final String id;
  final String cpu;
  final int cpus;
  private final long bootTimeoutSeconds;

  Accelerator(String id, String cpu, int cpus, long bootTimeoutSeconds) {
    this.id = id;
    this.cpu = cpu;
    this.cpus = cpus;
    this.bootTimeoutSeconds = bootTimeoutSeconds;
  }

  /** How long a boot may take until the runtime says hello. */
  java.time.Duration bootTimeout() {
    return java.time.Duration.ofSeconds(bootTimeoutSeconds);
  }

  /** The choice and, when it is TCG, why not KVM. */
  record Choice(Accelerator accelerator, String whyNotKvmOrNull) {}

  static Choice choose(ImageSources sources) {
    String forced = System.getProperty("cella.vm.accel", "auto").strip();
    switch (forced) {
      case "tcg" -> {
        return new Choice(TCG, "cella.vm.accel=tcg");
      }
      case "kvm" -> {
        return new Choice(KVM, null);
      }
      case "auto", "" -> { }
      default -> {
        return new Choice(TCG, "cella.vm.accel=" + forced + " is not auto, kvm or tcg");
      }
    }
    Path kvm = Path.of("/dev/kvm");
    if (!Files.exists(kvm)) {
      return new Choice(TCG, "/dev/kvm does not exist");
    }
    if (!Files.isReadable(kvm) || !Files.isWritable(kvm)) {
      return new Choice(TCG, "/dev/kvm is not readable and writable by this user");
    }
    String failure = probe(sources);
    return failure == null ? new Choice(KVM, null) : new Choice(TCG, failure);
  }

  /** Null when a kernel boots to its panic under KVM; else what went wrong. */
  static String probe(ImageSources sources) {
    List<String> command = List.of(sources.qemu().toString(), "-machine", "q35,accel=kvm",
        "-cpu", KVM.cpu, "-m", "128", "-smp", "1", "-nodefaults", "-no-user-config",
        "-display", "none", "-nic", "none", "-serial", "stdio", "-no-reboot",
        "-kernel", sources.kernel().toString(), "-append", "console=ttyS0 panic=-1");
    Process qemu;
    try {
      qemu = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    } catch (IOException e) {
      return "QEMU does not start: " + e.getMessage();
    }
    StringBuilder output = new StringBuilder();
    Thread reader = Thread.ofVirtual().start(() -> read(qemu.getInputStream(), output));
    try {
      if (!qemu.waitFor(PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        qemu.destroyForcibly();
        qemu.waitFor(5, TimeUnit.SECONDS);
        return "a Linux guest under KVM did not boot within " + PROBE_TIMEOUT_SECONDS
            + " s (it hangs)";
      }
      reader.join(1000);
    } catch (InterruptedException e) {
      qemu.destroyForcibly();
      Thread.currentThread().interrupt();
      return "interrupted while probing KVM";
    }
    String said;
    synchronized (output) {
      said = output.toString();
    }
    if (said.contains("Kernel panic")) {
      return null;
    }
    String last = said.strip();
    int cut = Math.max(0, last.length() - 300);
    return "a Linux guest under KVM did not boot (QEMU exit status " + qemu.exitValue() + ": "
        + last.substring(cut).replaceAll("[\\r\\n\\p{Cntrl}]+", " ").strip() + ")";
  }

  private static void read(InputStream in, StringBuilder output) {
    byte[] buffer = new byte[8192];
    int total = 0;
    try (in) {
      int read;
      while ((read = in.read(buffer)) > 0) {
        if (total < MAX_PROBE_OUTPUT) {
          synchronized (output) {
            output.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
          }
          total += read;
        }
      }
    } catch (IOException ignored) {
      // QEMU is gone.
    }
  }
}
