package dev.cella.testing.junit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * Finds the bundle an {@code @EnclaveTest} names: a file relative to the working directory, else a
 * class-path resource (copied to a temporary file when it lives inside a jar).
 *
 * <p>Stateless and thread-safe.
 */
final class BundleLocator {
  private BundleLocator() {}

  static Path locate(String name, Class<?> testClass) {
    if (name == null || name.isBlank()) {
      throw new ExtensionConfigurationException(
          "@EnclaveTest on " + testClass.getName() + " names no bundle");
    }
    Path file = Path.of(name);
    if (Files.isRegularFile(file)) {
      return file.toAbsolutePath();
    }
    String resource = name.startsWith("/") ? name.substring(1) : name;
    ClassLoader loader = testClass.getClassLoader();
    URL url = loader == null ? null : loader.getResource(resource);
    if (url == null) {
      throw new ExtensionConfigurationException("@EnclaveTest on " + testClass.getName()
          + ": no bundle " + name + " (neither a file relative to " + Path.of("").toAbsolutePath()
          + " nor a class-path resource); build it first, e.g. with mvn package");
    }
    try {
      if (url.getProtocol().equals("file")) {
        return Path.of(url.toURI());
      }
      Path copy = Files.createTempFile("cella-test-", ".cella");
      copy.toFile().deleteOnExit();
      try (InputStream in = url.openStream()) {
        Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
      }
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundle resource " + url, e);
    } catch (URISyntaxException e) {
      throw new ExtensionConfigurationException("bad bundle resource URL " + url, e);
    }
  }
}
