package dev.cella.cli.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Checks an ECDSA signature with the real {@code openssl dgst -sha384 -verify}, as an independent
 * second opinion next to the JDK's. Finds openssl on the PATH; says so when there is none.
 */
final class OpensslCheck {
  /** The outcome: verified, refused (with openssl's words), or not run (and why). */
  record Outcome(boolean ran, boolean verified, String detail) {}

  private OpensslCheck() {}

  static Optional<Path> find() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, "openssl");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  static Outcome verify(Path file, PublicKey key, byte[] derSignature) {
    Optional<Path> openssl = find();
    if (openssl.isEmpty()) {
      return new Outcome(false, false, "openssl is not installed: skipped");
    }
    Path work = null;
    try {
      work = Files.createTempDirectory("cella-demo-openssl");
      Path pem = work.resolve("public.pem");
      Path sig = work.resolve("signature.der");
      Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(key.getEncoded())
          + "\n-----END PUBLIC KEY-----\n");
      Files.write(sig, derSignature);
      Process process = new ProcessBuilder(List.of(openssl.get().toString(), "dgst", "-sha384",
          "-verify", pem.toString(), "-signature", sig.toString(), file.toString()))
          .redirectErrorStream(true).start();
      process.getOutputStream().close();
      byte[] said = process.getInputStream().readNBytes(4096);
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Outcome(true, false, "openssl did not answer within 30 s");
      }
      String words = new String(said, StandardCharsets.UTF_8).strip();
      return new Outcome(true, process.exitValue() == 0 && words.contains("Verified OK"), words);
    } catch (IOException e) {
      return new Outcome(true, false, "openssl could not be run: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(true, false, "interrupted");
    } finally {
      if (work != null) {
        try (var files = Files.walk(work)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
          // A temporary folder.
        }
      }
    }
  }
}
