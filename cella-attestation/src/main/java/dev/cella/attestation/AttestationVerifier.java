package dev.cella.attestation;

import dev.cella.attestation.AttestationException.Reason;
import dev.cella.attestation.internal.PolicyEnforcer;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * The entry point of attestation: detects the evidence's format, verifies it cryptographically
 * with that format's {@link EvidenceVerifier} (roots: the policy's trusted roots in addition to
 * each hardware verifier's pinned vendor roots), then applies the {@link AttestationPolicy}.
 * Returns what the evidence proves, or throws {@link AttestationException} with the reason.
 *
 * <p>Format detection asks every verifier which {@link EvidenceVerifier#recognizes recognizes}
 * the bytes: none gives UNSUPPORTED_FORMAT; more than one is ambiguous and also refused (a
 * recognizer must be specific to its format).
 *
 * <p>Example:
 *
 * <pre>{@code
 * AttestationVerifier verifier = AttestationVerifier.create();
 * VerifiedEnclave enclave = verifier.verify(evidence, AttestationPolicy.parse(
 *     "measurement=" + measurementHex + " nonce=" + nonceHex + " root=process-root.pem"));
 * }</pre>
 *
 * <p>Thread-safe (immutable); create one and share it.
 */
public final class AttestationVerifier {
  private static final System.Logger LOG = System.getLogger(AttestationVerifier.class.getName());

  private final List<EvidenceVerifier> verifiers;

  private AttestationVerifier(List<EvidenceVerifier> verifiers) {
    this.verifiers = List.copyOf(verifiers);
  }

  /**
   * When and with which collateral evidence is verified. Immutable and thread-safe.
   *
   * @param at the time at which certificates, collateral and issued-at are judged
   * @param collateralDir offline collateral for hardware formats, if any
   */
  public record Options(Instant at, Optional<Path> collateralDir) {
    public Options {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(collateralDir, "collateralDir");
    }

    /** Verification now, without collateral. */
    public static Options now() {
      return new Options(Instant.now(), Optional.empty());
    }

    /** Verification at {@code at}, without collateral. */
    public static Options at(Instant at) {
      return new Options(at, Optional.empty());
    }

    /** These options with collateral from {@code dir}. */
    public Options withCollateralDir(Path dir) {
      return new Options(at, Optional.of(dir));
    }
  }

  /** A verifier with every {@link EvidenceVerifier} that {@link ServiceLoader} finds. */
  public static AttestationVerifier create() {
    List<EvidenceVerifier> found = new ArrayList<>();
    ServiceLoader<EvidenceVerifier> loader =
        ServiceLoader.load(EvidenceVerifier.class, AttestationVerifier.class.getClassLoader());
    var iterator = loader.iterator();
    while (true) {
      try {
        if (!iterator.hasNext()) {
          break;
        }
        found.add(iterator.next());
      } catch (ServiceConfigurationError e) {
        LOG.log(Level.WARNING, "skipping an evidence verifier that cannot be loaded: {0}",
            e.getMessage());
      }
    }
    found.sort(Comparator.comparing(EvidenceVerifier::format));
    return new AttestationVerifier(found);
  }

  /** A verifier with exactly {@code verifiers}. */
  public static AttestationVerifier create(Collection<? extends EvidenceVerifier> verifiers) {
    return new AttestationVerifier(new ArrayList<>(verifiers));
  }

  /** The formats this verifier knows, e.g. {@code [cella-cose, nitro, …]}. */
  public List<String> formats() {
    return verifiers.stream().map(EvidenceVerifier::format).toList();
  }

  /** Verifies {@code evidence} now and applies {@code policy}. */
  public VerifiedEnclave verify(byte[] evidence, AttestationPolicy policy)
      throws AttestationException {
    return verify(evidence, policy, Options.now());
  }

  /** Verifies {@code evidence} with {@code options} and applies {@code policy}. */
  public VerifiedEnclave verify(byte[] evidence, AttestationPolicy policy, Options options)
      throws AttestationException {
    Objects.requireNonNull(evidence, "evidence");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(options, "options");
    EvidenceVerifier verifier = detect(evidence);
    VerificationContext context = new VerificationContext(
        options.at(), policy.rootCertificates(), false, options.collateralDir());
    VerifiedEnclave enclave;
    try {
      enclave = verifier.verify(evidence, context);
    } catch (AttestationException e) {
      throw e;
    } catch (RuntimeException e) {
      // A verifier that trips over hostile input refuses it; it never lets it through.
      throw new AttestationException(Reason.MALFORMED,
          verifier.format() + " verifier failed on this evidence: " + e, e);
    }
    PolicyEnforcer.enforce(policy, enclave);
    return enclave;
  }

  private EvidenceVerifier detect(byte[] evidence) throws AttestationException {
    List<EvidenceVerifier> recognizing = new ArrayList<>();
    for (EvidenceVerifier verifier : verifiers) {
      boolean recognized;
      try {
        recognized = verifier.recognizes(evidence);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "evidence verifier {0} failed to recognize: {1}",
            verifier.format(), e.toString());
        recognized = false;
      }
      if (recognized) {
        recognizing.add(verifier);
      }
    }
    if (recognizing.isEmpty()) {
      throw new AttestationException(Reason.UNSUPPORTED_FORMAT, "no verifier recognizes these "
          + evidence.length + " bytes as evidence (known formats: "
          + (verifiers.isEmpty() ? "none" : String.join(", ", formats())) + ")");
    }
    if (recognizing.size() > 1) {
      throw new AttestationException(Reason.UNSUPPORTED_FORMAT, "ambiguous evidence: recognized"
          + " as " + recognizing.stream().map(EvidenceVerifier::format)
              .collect(Collectors.joining(" and ")));
    }
    return recognizing.get(0);
  }
}
