package dev.cella.attestation;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a cryptographic verification needs besides the evidence: the time at which every validity
 * window is checked, the roots trusted in addition to (or instead of) the pinned vendor roots, and
 * where offline collateral lies.
 *
 * <p>Immutable and thread-safe.
 *
 * @param at the verification time
 * @param extraRoots roots trusted in addition to the pinned ones
 * @param replaceDefaultRoots whether {@code extraRoots} replace the pinned vendor roots
 * @param collateralDir a folder of collateral files, recognized by content, if any
 */
public record VerificationContext(
    Instant at, List<X509Certificate> extraRoots, boolean replaceDefaultRoots,
    Optional<Path> collateralDir) {

  public VerificationContext {
    Objects.requireNonNull(at, "at");
    extraRoots = List.copyOf(extraRoots);
    Objects.requireNonNull(collateralDir, "collateralDir");
  }

  /** Verification now, with the pinned roots and no collateral. */
  public static VerificationContext now() {
    return new VerificationContext(Instant.now(), List.of(), false, Optional.empty());
  }
}
