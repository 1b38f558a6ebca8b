package dev.cella.backend.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the pieces of the VM image come from on this machine: QEMU, a Linux kernel with its
 * module folder (Debian's {@code linux-image-cloud-amd64}), a static busybox ({@code
 * busybox-static}) and a JDK 25 with {@code jlink}. {@link #detect()} finds them, each
 * overridable by a system property ({@code cella.vm.qemu}, {@code cella.vm.kernel}, {@code
 * cella.vm.busybox}, {@code cella.vm.jdk}, {@code cella.vm.modules} for extra JDK modules), and
 * says what is missing.
 *
 * <p>Immutable and thread-safe.
 *
 * @param qemu the {@code qemu-system-x86_64} executable
 * @param kernel the kernel image, e.g. {@code /boot/vmlinuz-6.1.0-57-cloud-amd64}
 * @param kernelModules the kernel's module folder, {@code /lib/modules/VERSION}
 * @param busybox a statically linked busybox
 * @param jdkHome the JDK whose {@code jlink} makes the guest's runtime
 * @param jdkModules the JDK modules the guest's runtime holds
 */
record ImageSources(Path qemu, Path kernel, Path kernelModules, Path busybox, Path jdkHome,
    List<String> jdkModules) {

  /** What the Cella runtime and its libraries need (jdeps); users add more with cella.vm.modules. */
  static final List<String> RUNTIME_MODULES =
      List.of("java.base", "java.logging", "java.naming", "java.sql");
  private static final Path TEMURIN_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

  ImageSources {
    Objects.requireNonNull(qemu, "qemu");
    Objects.requireNonNull(kernel, "kernel");
    Objects.requireNonNull(kernelModules, "kernelModules");
    Objects.requireNonNull(busybox, "busybox");
    Objects.requireNonNull(jdkHome, "jdkHome");
    jdkModules = List.copyOf(jdkModules);
  }

  /** The result of {@link #detect()}: the sources, or why they are not all there. */
  record Detected(ImageSources sourcesOrNull, String missingOrNull) {}

  static Detected detect() {
    List<String> missing = new ArrayList<>();
    Path qemu = property("cella.vm.qemu").map(Path::of).or(() -> onPath("qemu-system-x86_64"))
        .orElse(null);
    if (qemu == null || !Files.isExecutable(qemu)) {
      missing.add("qemu-system-x86_64 (Debian: apt-get install qemu-system-x86)");
    }
    Path kernel = property("cella.vm.kernel").map(Path::of).orElseGet(ImageSources::newestKernel);
    Path modules = null;
    if (kernel == null || !Files.isReadable(kernel)) {
      missing.add("a readable Linux kernel in /boot (Debian: apt-get install"
          + " linux-image-cloud-amd64)" + (kernel == null ? "" : ": " + kernel + " is not readable"));
    } else {
      String file = kernel.getFileName().toString();
      String version = file.startsWith("vmlinuz-") ? file.substring("vmlinuz-".length()) : file;
      modules = Path.of("/lib/modules", version);
      if (!Files.isDirectory(modules.resolve("kernel/drivers/char"))) {
        missing.add("the kernel's modules in " + modules);
      }
    }
    Path busybox = property("cella.vm.busybox").map(Path::of).orElse(Path.of("/bin/busybox"));
    if (!Files.isExecutable(busybox)) {
      missing.add("a static busybox at " + busybox + " (Debian: apt-get install busybox-static)");
    }
    Path jdk = property("cella.vm.jdk").map(Path::of).orElseGet(ImageSources::jdkWithJlink);
    if (jdk == null || !Files.isExecutable(jdk.resolve("bin/jlink"))) {
      missing.add("a JDK 25 with jlink (set cella.vm.jdk)");
    }
    if (!missing.isEmpty()) {
      return new Detected(null, "missing " + String.join("; ", missing));
    }
    List<String> jdkModules = new ArrayList<>(RUNTIME_MODULES);
    property("cella.vm.modules").ifPresent(extra -> {
      for (String m : extra.split(",")) {
        if (!m.isBlank() && !jdkModules.contains(m.strip())) {
          jdkModules.add(m.strip());
        }
      }
    });
    return new Detected(new ImageSources(qemu, kernel, modules, busybox, jdk, jdkModules), null);
  }

  private static Optional<String> property(String name) {
    return Optional.ofNullable(System.getProperty(name)).filter(v -> !v.isBlank());
  }

  private static Optional<Path> onPath(String command) {
    String path = System.getenv("PATH");
    if (path == null) {
      path = "/usr/bin:/bin";
    }
    for (String dir : path.split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, command);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static Path newestKernel() {
    try (Stream<Path> files = Files.list(Path.of("/boot"))) {
      return files.filter(p -> p.getFileName().toString().startsWith("vmlinuz-"))
          .max(Comparator.comparing(p -> p.getFileName().toString())).orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  /** This JVM's home when it has jlink and is JDK 25, else Temurin 25 where Debian puts it. */
  private static Path jdkWithJlink() {
    Path home = Path.of(System.getProperty("java.home"));
    if (Runtime.version().feature() == 25 && Files.isExecutable(home.resolve("bin/jlink"))) {
      return home;
    }
    return Files.isExecutable(TEMURIN_25.resolve("bin/jlink")) ? TEMURIN_25 : null;
  }
}
