package dev.cella.backend.process;

import dev.cella.EnclaveLimits;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The bubblewrap sandbox an enclave JVM runs in, and whether it can run on this machine.
 *
 * <p>Inside: its own network namespace (no interfaces but a loopback that is down), PID, IPC and
 * UTS namespaces, a new session, no capabilities, no inherited environment, killed when the host
 * dies. Its file system is empty and read-only but for what the JVM needs: the JDK and the
 * libraries it loads (read-only, at their host paths), {@code /proc} of its own PID namespace, a
 * minimal {@code /dev}, a private {@code /tmp} (64 MiB), and under {@code /cella} the bundle and
 * its jars (read-only), the shared-memory channel and the socket it rings the host on.
 *
 * <p>Immutable and thread-safe.
 */
final class Sandbox {
  /** Where the sandbox sees the bundle file. */
  static final String BUNDLE = "/cella/bundle.cella";
  /** Where the sandbox sees the shared-memory channel. */
  static final String CHANNEL = "/cella/channel";
  /** Where the sandbox sees the host's doorbell socket. */
  static final String DOORBELL = "/cella/doorbell";
  /** The folder of the bundle's jars inside the sandbox. */
  static final String LIB = "/cella/lib/";
  /** The runner the child JVM starts (in the bundle's cella-enclave jar). */
  static final String RUNNER = "dev.cella.enclave.internal.runner.ProcessRunner";

  private static final String TMP_BYTES = Long.toString(64L << 20);
  private static final long PROBE_TIMEOUT_SECONDS = 20;

  private final Path bwrap;
  private final boolean privileged;
  private final Path java;
  private final List<String> systemMounts;

  private Sandbox(Path bwrap, boolean privileged, Path java, List<String> systemMounts) {
    this.bwrap = bwrap;
    this.privileged = privileged;
    this.java = java;
    this.systemMounts = systemMounts;
  }

  /** The host paths the sandbox shows for the JDK (a file grant may not cover them). */
  List<String> systemPaths() {
    List<String> paths = new ArrayList<>();
    for (int i = 0; i + 2 < systemMounts.size(); i += 3) {
      paths.add(systemMounts.get(i + 2));
    }
    return paths;
  }

  /**
   * Whether bubblewrap runs privileged (the host is root, or bwrap is setuid root), so that the
   * sandbox needs no user namespace. Without one, the kernel refuses other processes of the same
   * user access to the non-dumpable enclave's memory. Inside a user namespace, which an
   * unprivileged bubblewrap must create, the namespace belongs to the host's user, and the kernel
   * then lets that user's processes read the enclave's memory despite its being non-dumpable.
   */
  boolean privileged() {
    return privileged;
  }

  /**
   * The sandbox for this host, or why there is none: bubblewrap missing, namespaces refused, or
   * the JDK unable to start inside. Probes once by starting {@code java -version} in it.
   */
  static Result probe() {
    return probe(onPath("bwrap"));
  }

  /** {@link #probe()} with a given bubblewrap binary (or none). */
  static Result probe(Optional<Path> bwrap) {
    if (bwrap.isEmpty()) {
      return Result.failed("bubblewrap (bwrap) is not installed; install it, e.g. apt-get install"
          + " bubblewrap");
    }
    Sandbox sandbox;
    try {
      Path home = Path.of(System.getProperty("java.home")).toRealPath();
      Path java = home.resolve("bin/java");
      SandboxMounts mounts = new SandboxMounts().expose(home);
      for (Path library : SystemLibraries.of(home, java)) {
        mounts.expose(library);
      }
      sandbox = new Sandbox(bwrap.get(), runsPrivileged(bwrap.get()), java,
          List.copyOf(mounts.arguments()));
    } catch (IOException | RuntimeException e) {
      return Result.failed("cannot describe the JDK's files for the sandbox: " + e.getMessage());
    }
    List<String> command = sandbox.prefix(List.of(), SandboxGrants.NONE);
    command.addAll(List.of(sandbox.java.toString(), "-Xshare:auto", "-XX:-UsePerfData",
        "-version"));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      byte[] output = process.getInputStream().readNBytes(4096);
      if (!process.waitFor(PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return Result.failed("a JVM in the bubblewrap sandbox did not start within "
            + PROBE_TIMEOUT_SECONDS + " s");
      }
      if (process.exitValue() != 0) {
        String said = new String(output, StandardCharsets.UTF_8).strip();
        return Result.failed("bubblewrap cannot start a JVM in its sandbox here (exit status "
            + process.exitValue() + "): " + firstLine(said)
            + " (user namespaces may be disabled, e.g. kernel.unprivileged_userns_clone=0 or an"
            + " AppArmor restriction)");
      }
    } catch (IOException e) {
      return Result.failed("cannot run bubblewrap: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Result.failed("interrupted while probing bubblewrap");
    }
    return new Result(sandbox, null);
  }

  /** The sandbox, or why it cannot run here. */
  record Result(Sandbox sandboxOrNull, String failureOrNull) {
    static Result failed(String why) {
      return new Result(null, why);
    }
  }

  /**
   * The command that starts the enclave runtime for a bundle: bubblewrap, then the child JVM with
   * exactly the bundle's jars on its class path.
   */
  List<String> command(Path bundleFile, List<Path> classPath, Path channel, Path doorbell,
      EnclaveLimits limits, int maxMessageBytes, String enclaveName) {
    return command(bundleFile, classPath, channel, doorbell, limits, maxMessageBytes, enclaveName,
        SandboxGrants.NONE, Optional.empty());
  }

  /**
   * {@link #command} with what the bundle's manifest grants or runs ({@link SandboxGrants}) and
   * an AOT cache for the child JVM, bound read-only ({@link AotCache}).
   */
  List<String> command(Path bundleFile, List<Path> classPath, Path channel, Path doorbell,
      EnclaveLimits limits, int maxMessageBytes, String enclaveName, SandboxGrants grants,
      Optional<Path> aotCache) {
    List<String> mounts = new ArrayList<>(List.of("--ro-bind", bundleFile.toString(), BUNDLE,
        "--bind", channel.toString(), CHANNEL, "--ro-bind", doorbell.toString(), DOORBELL));
    aotCache.ifPresent(cache -> mounts.addAll(List.of("--ro-bind", cache.toString(),
        AotCache.INSIDE)));
    List<String> inside = jarMounts(classPath, mounts);
    mounts.addAll(grants.mounts());
    List<String> command = prefix(mounts, grants);
    command.add(java.toString());
    if (aotCache.isPresent()) {
      command.addAll(ChildJvm.withAot(ChildJvm.options(limits, enclaveName),
          AotCache.useOption()));
    } else {
      command.addAll(ChildJvm.options(limits, enclaveName));
    }
    command.addAll(grants.jvmOptions());
    command.add("-cp");
    command.add(String.join(File.pathSeparator, inside));
    command.add(RUNNER);
    command.addAll(List.of(BUNDLE, CHANNEL, DOORBELL, Integer.toString(maxMessageBytes)));
    return command;
  }

  /**
   * The command of an AOT training run for a bundle ({@link AotCache}): the same sandbox, JVM
   * options and class path as {@link #command}, the runner in its {@code --train} mode, and
   * {@code out} bound writable as the only place it may write besides its {@code /tmp}.
   */
  List<String> trainingCommand(Path bundleFile, List<Path> classPath, EnclaveLimits limits,
      Path out) {
    List<String> mounts = new ArrayList<>(List.of("--ro-bind", bundleFile.toString(), BUNDLE,
        "--bind", out.toString(), AotCache.TRAINING_OUT));
    List<String> inside = jarMounts(classPath, mounts);
    List<String> command = prefix(mounts, SandboxGrants.NONE);
    command.add(java.toString());
    command.addAll(ChildJvm.withAot(ChildJvm.options(limits, "aot-training"),
        AotCache.trainingOption()));
    command.add("-cp");
    command.add(String.join(File.pathSeparator, inside));
    command.add(RUNNER);
    command.addAll(List.of("--train", BUNDLE));
    return command;
  }

  /** Adds a read-only mount per jar to {@code mounts}; returns the jars' paths inside. */
  private static List<String> jarMounts(List<Path> classPath, List<String> mounts) {
    List<String> inside = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Path jar : classPath) {
      String name = jar.getFileName().toString();
      if (!names.add(name)) {
        throw new IllegalArgumentException("two jars named " + name + " on the class path");
      }
      mounts.addAll(List.of("--ro-bind", jar.toString(), LIB + name));
      inside.add(LIB + name);
    }
    return inside;
  }

  /** bubblewrap with the namespaces and the JDK's files, then {@code extraMounts}. */
  private List<String> prefix(List<String> extraMounts, SandboxGrants grants) {
    List<String> command = new ArrayList<>(List.of(bwrap.toString(),
        "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
        "--unshare-cgroup-try"));
    if (!privileged) {
      command.addAll(List.of("--unshare-user", "--disable-userns"));
    }
    command.addAll(List.of("--die-with-parent", "--new-session", "--cap-drop", "ALL",
        "--clearenv", "--hostname", "enclave"));
    command.addAll(systemMounts);
    command.addAll(List.of("--proc", "/proc", "--dev", "/dev",
        "--size", TMP_BYTES, "--tmpfs", "/tmp"));
    command.addAll(extraMounts);
    command.addAll(List.of("--remount-ro", "/", "--chdir", grants.workingDirectory(),
        "--setenv", "LANG", "C.UTF-8"));
    command.addAll(grants.env());
    command.add("--");
    return command;
  }

  /** Whether this process is root or {@code bwrap} is setuid root. */
  private static boolean runsPrivileged(Path bwrap) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
      if (line.startsWith("Uid:")) {
        String[] ids = line.substring(4).strip().split("\\s+");
        if (ids.length > 1 && ids[1].equals("0")) {
          return true;
        }
      }
    }
    int mode = (Integer) Files.getAttribute(bwrap, "unix:mode");
    int owner = (Integer) Files.getAttribute(bwrap, "unix:uid");
    return (mode & 04000) != 0 && owner == 0;
  }

  private static Optional<Path> onPath(String program) {
    String path = System.getenv("PATH");
    List<String> dirs = new ArrayList<>(List.of("/usr/bin", "/bin", "/usr/local/bin"));
    if (path != null) {
      dirs.addAll(0, List.of(path.split(File.pathSeparator)));
    }
    for (String dir : dirs) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static String firstLine(String text) {
    int newline = text.indexOf('\n');
    String line = newline < 0 ? text : text.substring(0, newline);
    return line.length() > 300 ? line.substring(0, 300) + "…" : line;
  }
}
