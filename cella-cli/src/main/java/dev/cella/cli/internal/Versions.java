package dev.cella.cli.internal;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/** The version printed by {@code cella --version}: the {@code Implementation-Version} of the CLI's jar. */
public final class Versions {
  private Versions() {}

  /** The version of the jar that holds {@code type}, or a note saying why there is none. */
  public static String of(Class<?> type) {
    String fromPackage = type.getPackage() == null ? null : type.getPackage().getImplementationVersion();
    if (fromPackage != null) {
      return fromPackage;
    }
    CodeSource source = type.getProtectionDomain().getCodeSource();
    if (source != null) {
      try {
        Path location = Path.of(source.getLocation().toURI());
        if (Files.isRegularFile(location)) {
          String fromJar = ofJar(location);
          if (fromJar != null) {
            return fromJar;
          }
        }
      } catch (URISyntaxException | IllegalArgumentException | IOException e) {
        // Not a readable jar: fall through to the note.
      }
    }
    return "(unknown: not run from a released jar)";
  }

  /** The {@code Implementation-Version} in {@code jar}'s manifest, or null. */
  public static String ofJar(Path jar) throws IOException {
    try (JarFile file = new JarFile(jar.toFile())) {
      Manifest manifest = file.getManifest();
      return manifest == null ? null
          : manifest.getMainAttributes().getValue(Attributes.Name.IMPLEMENTATION_VERSION);
    }
  }
}
