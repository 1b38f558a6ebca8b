package dev.cella;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a backend is and whether it can run here: the answer of {@code cella backends}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param name the name used to choose it, e.g. {@code "sim"}
 * @param platform the platform kind its evidence names
 * @param securityLevel how strongly it isolates
 * @param summary one line on what it is
 * @param protectsAgainst what it protects an enclave against
 * @param doesNotProtectAgainst what it does not protect against
 * @param unavailabilityCause empty when it can run here, else why not
 */
public record BackendInfo(
    String name, PlatformKind platform, SecurityLevel securityLevel, String summary,
    List<String> protectsAgainst, List<String> doesNotProtectAgainst,
    Optional<String> unavailabilityCause) {

  public BackendInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(securityLevel, "securityLevel");
    Objects.requireNonNull(summary, "summary");
    protectsAgainst = List.copyOf(protectsAgainst);
    doesNotProtectAgainst = List.copyOf(doesNotProtectAgainst);
    Objects.requireNonNull(unavailabilityCause, "unavailabilityCause");
  }

  /** Whether the backend can launch enclaves on this machine. */
  public boolean isAvailable() {
    return unavailabilityCause.isEmpty();
  }
}
