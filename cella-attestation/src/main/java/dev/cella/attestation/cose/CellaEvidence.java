package dev.cella.attestation.cose;

import dev.cella.PlatformKind;
import dev.cella.SecurityLevel;
import dev.cella.attestation.AttestationException;
import dev.cella.attestation.VerificationContext;
import dev.cella.attestation.cose.internal.CoseSign1;
import dev.cella.attestation.cose.internal.PlatformChain;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

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
  /** The profile claim of version 1. */
  public static final String PROFILE = "tag:cella.dev,2026:evidence/v1";
  /**
   * The profile claim of version 2: version 1 plus the vm image's kernel, initramfs and command
   * line digests. Issued only by the vm platform when it states them; any profile other than v1
   * and v2 is refused as unsupported.
   */
  public static final String PROFILE_V2 = "tag:cella.dev,2026:evidence/v2";
  private static final byte[] VM_IMAGE_LABEL =
      "cella-vm-image-v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  /** Longest nonce evidence carries, in bytes. */
  public static final int MAX_NONCE_LENGTH = 64;
  /** Longest report data evidence carries, in bytes. */
  public static final int MAX_REPORT_DATA_LENGTH = 64;

  private CellaEvidence() {}

  /**
   * The combined measurement of a VM image (the {@code image-measurement} of v2 evidence):
   * SHA-384 of the ASCII label {@code cella-vm-image-v1} followed by the 48-byte SHA-384 digests
   * of the kernel, the initramfs and the command line, in that order.
   *
   * @throws IllegalArgumentException if a digest is not 48 bytes
   */
  public static byte[] vmImageMeasurement(byte[] kernel, byte[] initrd, byte[] commandLine) {
    try {
      java.security.MessageDigest sha384 = java.security.MessageDigest.getInstance("SHA-384");
      sha384.update(VM_IMAGE_LABEL);
      for (byte[] digest : List.of(kernel, initrd, commandLine)) {
        if (digest.length != 48) {
          throw new IllegalArgumentException("a vm image digest must be 48 bytes, got "
              + digest.length);
        }
        sha384.update(digest);
      }
      return sha384.digest();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

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

  /**
   * The root certificate at the end of {@code evidence}'s chain, after checking that the evidence
   * verifies under it at {@code at}: the root of the platform that issued the evidence. It proves
   * only that the evidence is consistent, not that the root deserves trust; an enclave uses it
   * for "the platform I run on" (local attestation), see {@code EnclaveContext.platformRoot()}.
   *
   * @throws AttestationException if the evidence is not well-formed cella-cose evidence that
   *     verifies under its own root
   */
  public static X509Certificate platformRoot(byte[] evidence, Instant at)
      throws AttestationException {
    List<X509Certificate> chain = PlatformChain.parse(CoseSign1.decode(evidence).x5chain());
    X509Certificate root = chain.get(chain.size() - 1);
    new CellaEvidenceVerifier().verify(evidence,
        new VerificationContext(at, List.of(root), false, Optional.empty()));
    return root;
  }
}
