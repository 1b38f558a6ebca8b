package dev.cella.attestation.hardware.internal;

import dev.cella.attestation.VerificationContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The copied vector cases in test resources ({@code vectors/<kind>/<case>/}). */
public final class Vectors {
  /** "Today" for the expiry tests. */
  public static final Instant TODAY = Instant.parse("2026-12-03T00:00:00Z");

  private Vectors() {}

  public static Path dir(String kind, String caseName) {
    try {
      var url = Vectors.class.getResource("/vectors/" + kind + "/" + caseName);
      if (url == null) {
        throw new IllegalArgumentException("no vector case " + kind + "/" + caseName);
      }
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public static byte[] read(String kind, String caseName, String file) {
    try {
      return Files.readAllBytes(dir(kind, caseName).resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<X509Certificate> certificates(String kind, String caseName, String file) {
    byte[] data = read(kind, caseName, file);
    try {
      return Certificates.looksLikePem(data)
          ? Certificates.fromPem(new String(data, java.nio.charset.StandardCharsets.US_ASCII))
          : List.of(Certificates.fromDer(data));
    } catch (java.security.cert.CertificateException e) {
      throw new IllegalStateException(e);
    }
  }

  public static VerificationContext at(String iso) {
    return new VerificationContext(Instant.parse(iso), List.of(), false, Optional.empty());
  }

  public static VerificationContext at(Instant at, Path collateral) {
    return new VerificationContext(at, List.of(), false, Optional.of(collateral));
  }

  public static VerificationContext at(String iso, Path collateral) {
    return at(Instant.parse(iso), collateral);
  }

  /** A context that trusts only {@code roots}. */
  public static VerificationContext onlyRoots(String iso, Optional<Path> collateral,
      X509Certificate... roots) {
    return new VerificationContext(Instant.parse(iso), List.of(roots), true, collateral);
  }
}
