package dev.cella.attestation.hardware.internal;

import dev.cella.attestation.VerificationContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Trust anchors identified by the SHA-256 of their SubjectPublicKeyInfo, never by name: a
 * certificate is trusted when its key is the key of a trusted root. Vendor roots are loaded from
 * resources and must match their pinned fingerprint. Immutable and thread-safe.
 */
public final class TrustedRoots {
  private final Map<String, X509Certificate> bySpki;

  private TrustedRoots(Map<String, X509Certificate> bySpki) {
    this.bySpki = Map.copyOf(bySpki);
  }

  /**
   * Loads PEM {@code resources} next to {@code anchor}; each certificate must have one of the
   * {@code pins} (SPKI SHA-256 hex). A mismatch is a broken build, not bad evidence.
   */
  public static TrustedRoots pinned(Class<?> anchor, List<String> resources, List<String> pins) {
    Map<String, X509Certificate> roots = new LinkedHashMap<>();
    for (String resource : resources) {
      for (X509Certificate cert : loadPem(anchor, resource)) {
        String spki = Certificates.spkiSha256(cert);
        if (!pins.contains(spki)) {
          throw new IllegalStateException("root resource " + resource + " holds '"
              + Certificates.name(cert) + "' with key sha256 " + spki + ", which is not pinned");
        }
        roots.put(spki, cert);
      }
    }
    for (String pin : pins) {
      if (!roots.containsKey(pin)) {
        throw new IllegalStateException("pinned root key " + pin + " is missing from resources");
      }
    }
    return new TrustedRoots(roots);
  }

  /** Certificates shipped as resources that are not trust anchors (intermediates). */
  public static List<X509Certificate> loadPem(Class<?> anchor, String resource) {
    try (InputStream in = anchor.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      return Certificates.fromPem(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
    } catch (IOException | CertificateException e) {
      throw new IllegalStateException("unreadable certificate resource " + resource, e);
    }
  }

  /** The roots in effect for {@code context}: these plus its extra roots, or only its roots. */
  public TrustedRoots in(VerificationContext context) {
    if (context.extraRoots().isEmpty() && !context.replaceDefaultRoots()) {
      return this;
    }
    Map<String, X509Certificate> roots = new LinkedHashMap<>();
    if (!context.replaceDefaultRoots()) {
      roots.putAll(bySpki);
    }
    for (X509Certificate extra : context.extraRoots()) {
      roots.put(Certificates.spkiSha256(extra), extra);
    }
    return new TrustedRoots(roots);
  }

  /** The trusted root with the key of {@code cert}, if {@code cert}'s key is trusted. */
  public Optional<X509Certificate> anchorFor(X509Certificate cert) {
    return Optional.ofNullable(bySpki.get(Certificates.spkiSha256(cert)));
  }

  /** All trusted roots. */
  public Collection<X509Certificate> all() {
    return new ArrayList<>(bySpki.values());
  }
}
