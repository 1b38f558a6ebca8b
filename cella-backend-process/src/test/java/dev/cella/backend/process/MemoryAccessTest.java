package dev.cella.backend.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cella.backend.process.apps.ProbeApp;
import dev.cella.protocol.Frames;
import dev.cella.testing.TestBundles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whether a process of the same user can read the enclave's memory through {@code
 * /proc/PID/mem}. The check runs without capabilities: a process with CAP_SYS_PTRACE (such as a
 * test JVM running as root) may read any memory, which the backend does not claim to prevent.
 * A same-user process that is dumpable is read successfully by the same check, so the check can
 * tell the two apart.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MemoryAccessTest {
  @TempDir Path folder;

  @Test
  void aSameUserProcessWithoutCapabilities_cannotOpenTheEnclavesMemory() throws Exception {
    var info = new ProcessBackend().info();
    assumeTrue(info.isAvailable(), () -> info.unavailabilityCause().orElse(""));
    assumeTrue(ProcessBackend.sandboxIsPrivileged(), "bubblewrap runs unprivileged here, so the"
        + " enclave's user namespace belongs to this user and its memory is readable to it;"
        + " the backend says so in doesNotProtectAgainst");
    Path bundle = TestBundles.builder("memory", ProbeApp.class).build(folder);
    Process dumpable = new ProcessBuilder(withoutCapabilities("sleep", "30")).start();
    try (RawEnclave enclave = RawEnclave.launch(bundle, folder.resolve("lib"))) {
      Frames.result(enclave.initialize(enclave.identity));
      long pid = enclave.connection.enclaveProcess().orElseThrow().pid();
      assertThat(enclave.run("dumpable")).isEqualTo("0");

      assertThat(openMemory(dumpable.pid())).as("control: a dumpable process").isEqualTo("opened");
      assertThat(openMemory(pid)).contains("Permission denied");
    } finally {
      dumpable.destroyForcibly();
    }
  }

  @Test
  void withoutAPrivilegedSandbox_theBackendSaysTheMemoryIsNotProtected() {
    var info = new ProcessBackend().info();
    assumeTrue(info.isAvailable(), () -> info.unavailabilityCause().orElse(""));
    if (ProcessBackend.sandboxIsPrivileged()) {
      assertThat(info.protectsAgainst()).anyMatch(s -> s.contains("non-dumpable"));
      assertThat(info.doesNotProtectAgainst()).noneMatch(s -> s.contains("non-dumpable"));
    } else {
      assertThat(info.doesNotProtectAgainst()).anyMatch(s -> s.contains("non-dumpable"));
      assertThat(info.protectsAgainst()).noneMatch(s -> s.contains("non-dumpable"));
    }
  }

  /** Opens /proc/PID/mem for reading from this process, or from a helper without capabilities. */
  private static String openMemory(long pid) throws IOException, InterruptedException {
    String file = "/proc/" + pid + "/mem";
    if (!hasPtraceCapability()) {
      try (var channel = Files.newByteChannel(Path.of(file))) {
        return "opened";
      } catch (IOException e) {
        return "Permission denied: " + e;
      }
    }
    Process helper = new ProcessBuilder(
        withoutCapabilities("/bin/sh", "-c", "exec 3< " + file + " && echo opened"))
        .redirectErrorStream(true).start();
    String said = new String(helper.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(helper.waitFor(10, TimeUnit.SECONDS)).isTrue();
    return said.strip();
  }

  /**
   * A command that runs without capabilities when this JVM has any (the kernel also refuses
   * access to a process whose capabilities the reader lacks, dumpable or not).
   */
  private static List<String> withoutCapabilities(String... command) throws IOException {
    if (!hasPtraceCapability()) {
      return List.of(command);
    }
    Path setpriv = Path.of("/usr/bin/setpriv");
    assumeTrue(Files.isExecutable(setpriv),
        "this JVM has CAP_SYS_PTRACE and setpriv is missing to drop it");
    List<String> full = new java.util.ArrayList<>(List.of(setpriv.toString(),
        "--bounding-set=-all", "--inh-caps=-all", "--"));
    full.addAll(List.of(command));
    return full;
  }

  private static boolean hasPtraceCapability() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("CapEff:")) {
        long caps = Long.parseUnsignedLong(line.substring(7).strip(), 16);
        return (caps & (1L << 19)) != 0;
      }
    }
    return false;
  }
}
