package dev.cella.attestation.internal;

import dev.cella.Bytes;
import dev.cella.PlatformKind;
import dev.cella.attestation.AttestationException;
import dev.cella.attestation.AttestationException.Reason;
import dev.cella.attestation.AttestationPolicy;
import dev.cella.attestation.TcbStatus;
import dev.cella.attestation.VerifiedEnclave;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Applies an {@link AttestationPolicy} to cryptographically verified evidence, in this order:
 * platform, identity (measurement, signer, product, SVN), debug, bindings (nonce, report data;
 * constant-time), TCB status, claims. The first unmet requirement throws, naming expected and
 * actual values: POLICY_VIOLATION for platform, identity, debug and claims, BINDING_MISMATCH for
 * nonce and report data, TCB_NOT_ACCEPTED for the TCB.
 *
 * <p>Thread-safe (stateless).
 */
public final class PolicyEnforcer {
  private static final Pattern HEX = Pattern.compile("(?:[0-9a-fA-F]{2})+");

  private PolicyEnforcer() {}

  /** Returns normally only when {@code enclave} meets every requirement of {@code policy}. */
  public static void enforce(AttestationPolicy policy, VerifiedEnclave enclave)
      throws AttestationException {
    platform(policy, enclave);
    identity(policy, enclave);
    if (enclave.debug() && !policy.debugAllowed()) {
      throw violation("the enclave runs in debug mode (its secrets are not protected) and the"
          + " policy refuses debug enclaves (debug=allow would accept them)");
    }
    bindings(policy, enclave);
    tcb(policy, enclave);
    claims(policy, enclave);
  }

  private static void platform(AttestationPolicy policy, VerifiedEnclave enclave)
      throws AttestationException {
    PlatformKind platform = enclave.platform();
    if (platform == PlatformKind.SIM && !policy.insecureAcceptsSimulated()) {
      throw violation("simulated (sim) evidence proves nothing and is refused unless the policy"
          + " says insecure=accept-simulated");
    }
    if (!policy.acceptedPlatforms().contains(platform)) {
      throw violation("platform " + platform.id() + " is not accepted (accepted: "
          + policy.acceptedPlatforms().stream().map(PlatformKind::id)
              .collect(Collectors.joining(",")) + ")");
    }
  }

  private static void identity(AttestationPolicy policy, VerifiedEnclave enclave)
      throws AttestationException {
    if (policy.measurement().isPresent()
        && !policy.measurement().get().equals(enclave.measurement())) {
      throw violation("measurement " + enclave.measurement().hex() + " is not the expected "
          + policy.measurement().get().hex());
    }
    if (policy.signer().isPresent()) {
      Optional<Bytes> signer = enclave.signer();
      if (signer.isEmpty()) {
        throw violation("the policy requires signer " + policy.signer().get().hex() + " but "
            + enclave.format() + " evidence names no signer");
      }
      if (!policy.signer().get().equals(signer.get())) {
        throw violation("signer " + signer.get().hex() + " is not the expected "
            + policy.signer().get().hex());
      }
    }
    if (policy.productId().isPresent() && policy.productId().getAsInt() != enclave.productId()) {
      throw violation("product id " + enclave.productId() + " is not the expected "
          + policy.productId().getAsInt());
    }
    if (policy.minSvn().isPresent() && enclave.svn() < policy.minSvn().getAsInt()) {
      throw violation("SVN " + enclave.svn() + " is below the minimum "
          + policy.minSvn().getAsInt());
    }
  }

  private static void bindings(AttestationPolicy policy, VerifiedEnclave enclave)
      throws AttestationException {
    if (policy.nonce().isPresent()) {
      Bytes expected = policy.nonce().get();
      Bytes actual = enclave.nonce().orElseThrow(() -> new AttestationException(
          Reason.BINDING_MISMATCH, "the policy requires nonce " + expected.hex() + " but "
              + enclave.format() + " evidence carries no separate nonce"));
      if (!sameBytes(expected, actual)) {
        throw new AttestationException(Reason.BINDING_MISMATCH,
            "nonce " + shown(actual) + " is not the expected " + expected.hex());
      }
    }
    if (policy.reportData().isPresent()) {
      Bytes expected = policy.reportData().get();
      if (!sameBytes(expected, enclave.reportData())) {
        throw new AttestationException(Reason.BINDING_MISMATCH, "report data "
            + shown(enclave.reportData()) + " is not the expected " + expected.hex());
      }
    }
  }

  private static void tcb(AttestationPolicy policy, VerifiedEnclave enclave)
      throws AttestationException {
    if (enclave.tcb().isPresent()) {
      TcbStatus status = enclave.tcb().get().status();
      if (!policy.acceptedTcbStatuses().contains(status)) {
        throw new AttestationException(Reason.TCB_NOT_ACCEPTED, "TCB status " + status.id()
            + (enclave.tcb().get().advisoryIds().isEmpty() ? ""
                : " (advisories " + String.join(", ", enclave.tcb().get().advisoryIds()) + ")")
            + " is not accepted (accepted: " + policy.acceptedTcbStatuses().stream()
                .map(TcbStatus::id).collect(Collectors.joining(",")) + ")");
      }
    } else if (!enclave.platform().isSoftware()) {
      throw new AttestationException(Reason.TCB_NOT_ACCEPTED, enclave.format()
          + " evidence of platform " + enclave.platform().id()
          + " carries no TCB appraisal; a hardware platform's TCB must be appraised");
    }
  }

  private static void claims(AttestationPolicy policy, VerifiedEnclave enclave)
      throws AttestationException {
    for (Map.Entry<String, String> required : policy.claimRequirements().entrySet()) {
      String actual = enclave.claims().get(required.getKey());
      if (actual == null) {
        throw violation("claim " + required.getKey() + " is required (" + required.getValue()
            + ") but " + enclave.format() + " evidence has no such claim");
      }
      if (!claimMatches(required.getValue(), actual)) {
        throw violation("claim " + required.getKey() + " is " + actual + ", not the expected "
            + required.getValue());
      }
    }
  }

  /** Hex values compare as bytes (case-insensitive, constant time); others exactly. */
  static boolean claimMatches(String expected, String actual) {
    if (HEX.matcher(expected).matches() && HEX.matcher(actual).matches()) {
      return MessageDigest.isEqual(
          HexFormat.of().parseHex(expected), HexFormat.of().parseHex(actual));
    }
    return expected.equals(actual);
  }

  private static String shown(Bytes bytes) {
    return bytes.length() == 0 ? "(empty)" : bytes.hex();
  }

  private static boolean sameBytes(Bytes expected, Bytes actual) {
    return expected.length() == actual.length() && expected.constantTimeEquals(actual);
  }

  private static AttestationException violation(String message) {
    return new AttestationException(Reason.POLICY_VIOLATION, message);
  }
}
