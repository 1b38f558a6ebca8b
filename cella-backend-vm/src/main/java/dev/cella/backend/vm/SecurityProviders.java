package dev.cella.backend.vm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Trims the jlinked JDK's {@code conf/security/java.security} to the security providers its
 * modules hold. Otherwise the first cryptographic lookup that walks the list (such as {@code
 * KDF.getInstance}) searches the class path for each missing provider, which instantiates every
 * provider found there — BouncyCastle's, from the bundle — and that costs some 15 s under
 * emulation. The remaining providers are renumbered from 1 (the JDK stops at the first gap).
 *
 * <p>Thread-safe; stateless.
 */
final class SecurityProviders {
  /** The JDK's providers outside {@code java.base}, by name, and the module that holds each. */
  private static final Map<String, String> MODULES = Map.of(
      "SunJGSS", "java.security.jgss",
      "SunSASL", "java.security.sasl",
      "XMLDSig", "java.xml.crypto",
      "SunPCSC", "java.smartcardio",
      "JdkLDAP", "java.naming",
      "JdkSASL", "jdk.security.jgss",
      "SunPKCS11", "jdk.crypto.cryptoki");

  private SecurityProviders() {}

  static void trim(Path jdk, Collection<String> modules) throws IOException {
    Path file = jdk.resolve("conf/security/java.security");
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    Files.write(file, trim(lines, modules), StandardCharsets.UTF_8);
  }

  static List<String> trim(List<String> lines, Collection<String> modules) {
    List<String> out = new ArrayList<>();
    int next = 1;
    for (String line : lines) {
      if (!line.startsWith("security.provider.")) {
        out.add(line);
        continue;
      }
      int equals = line.indexOf('=');
      if (equals < 0) {
        out.add(line);
        continue;
      }
      String provider = line.substring(equals + 1).strip();
      String name = provider.split("\\s+")[0];
      String module = MODULES.get(name);
      if (module != null && !modules.contains(module)) {
        continue;
      }
      out.add("security.provider." + next++ + "=" + provider);
    }
    return out;
  }
}
