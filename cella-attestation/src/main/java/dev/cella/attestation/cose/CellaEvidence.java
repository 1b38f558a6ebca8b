package dev.cella.attestation.cose;

import dev.cella.PlatformKind;
import dev.cella.SecurityLevel;

/**
 * Constants of the "cella-cose" evidence format that Cella's software platforms emit: COSE_Sign1
 * (RFC 9052) with ES384 over a CBOR claims map. The format is specified in {@code
 * docs/evidence-format.md}; {@link CellaEvidenceVerifier} verifies it and {@code
 * dev.cella.attestation.platform.SoftwarePlatform} issues it.
 *
 * <p>Example: {@code if (verified.format().equals(CellaEvidence.FORMAT)) …}.
 *
 * <p>Thread-safe (constants only).
 */
public final class CellaEvidence {
  /** The format name, as in {@code VerifiedEnclave.format()}. */
  public static final String FORMAT = "cella-cose";
  /** The profile claim of version 1; any other profile is refused as unsupported. */
  public static final String PROFILE = "tag:cella.dev,2026:evidence/v1";
  /** Longest nonce evidence carries, in bytes. */
  public static final int MAX_NONCE_LENGTH = 64;
  /** Longest report data evidence carries, in bytes. */
  public static final int MAX_REPORT_DATA_LENGTH = 64;

  private CellaEvidence() {}

  /**
   * The security level a software platform states: {@code none} for sim, {@code
   * process-isolation} for process, {@code vm-isolation} for vm.
   *
   * @throws IllegalArgumentException for a hardware platform
   */
  public static SecurityLevel securityLevelOf(PlatformKind kind) {
    return switch (kind) {
      case SIM -> SecurityLevel.NONE;
      case PROCESS -> SecurityLevel.PROCESS_ISOLATION;
      case VM -> SecurityLevel.VM_ISOLATION;
      default -> throw new IllegalArgumentException(kind.id() + " is not a Cella software platform");
    };
  }
}
