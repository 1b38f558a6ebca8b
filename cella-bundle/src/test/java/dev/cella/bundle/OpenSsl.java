package dev.cella.bundle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs the real {@code openssl} for interoperability tests; skips them where it is missing. */
final class OpenSsl {
  private OpenSsl() {}

  static void assumeInstalled() {
    boolean installed;
    try {
      installed = run(Path.of("."), "version").startsWith("OpenSSL");
    } catch (IOException | AssertionError e) {
      installed = false;
    }
    Assumptions.assumeTrue(installed, "openssl not installed");
  }

  /** Runs {@code openssl args...} in {@code dir}, returning stdout; fails on a non-zero exit. */
  static String run(Path dir, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("openssl " + String.join(" ", args) + " did not finish in 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new AssertionError("openssl " + String.join(" ", args) + " failed: " + out);
    }
    return out;
  }
}
