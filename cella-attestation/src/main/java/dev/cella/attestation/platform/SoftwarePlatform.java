package dev.cella.attestation.platform;

import dev.cella.Bytes;
import dev.cella.EnclaveException;
import dev.cella.EnclaveIdentity;
import dev.cella.EnclaveStatus.Code;
import dev.cella.PlatformKind;
import dev.cella.attestation.ClaimNames;
import dev.cella.attestation.cose.CellaEvidence;
import dev.cella.attestation.cose.internal.CoseSign1;
import dev.cella.attestation.cose.internal.EvidenceClaims;
import dev.cella.attestation.platform.internal.AttestationKey;
import dev.cella.attestation.platform.internal.Pem;
import dev.cella.attestation.platform.internal.PlatformKeys;
import dev.cella.attestation.platform.internal.PlatformStore;
import dev.cella.attestation.platform.internal.SealingRoot;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The root of trust of one of Cella's software platforms ({@code sim}, {@code process}, {@code
 * vm}): it signs evidence ("cella-cose", see {@code docs/evidence-format.md}) and derives sealing
 * seeds. Its keys live in a platform directory, by default {@code $CELLA_HOME/platforms/<kind>/}
 * ({@link #defaultDirectory}), created on first use with owner-only permissions:
 *
 * <ul>
 *   <li>{@code root.key}, {@code root.crt}: the ECDSA P-384 root key and its self-signed CA
 *       certificate ({@code CN=Cella <kind> platform root, O=Cella}, ten years);
 *   <li>{@code attestation.pem}: the attestation key and its certificate issued by the root (90
 *       days, re-issued with a fresh key when less than 30 days remain);
 *   <li>{@code sealing-root.bin}: the 32-byte sealing root secret;
 *   <li>{@code platform.properties}: written last; {@code .lock}: serializes changes.
 * </ul>
 *
 * <p>A verifier trusts a platform by its root certificate ({@link #rootCertificate()}), never by
 * default. The keys are only as safe as the directory: anyone who can read it can forge this
 * platform's evidence and unseal its data.
 *
 * <p><b>The sim platform is insecure by design.</b> Its keys sit in the host's own files and its
 * enclaves run in the host JVM, so the host can forge sim evidence and read sim-sealed data. Sim
 * evidence proves nothing; verifiers accept it only with {@code insecure=accept-simulated}.
 * Issuing sim evidence logs a warning once per JVM.
 *
 * <p>Example:
 *
 * <pre>{@code
 * try (SoftwarePlatform platform = SoftwarePlatform.open(PlatformKind.PROCESS,
 *     SoftwarePlatform.defaultDirectory(PlatformKind.PROCESS))) {
 *   byte[] evidence = platform.issueEvidence(identity, nonce, reportData,
 *       Map.of("jdk-version", "25.0.1", "backend-version", "0.1.0"));
 * }
 * }</pre>
 *
 * <p>Thread-safe. Several instances, in one or several JVMs, may use the same directory.
 */
public final class SoftwarePlatform implements AutoCloseable {
  /** The environment variable naming Cella's home directory. */
  public static final String HOME_ENV = "CELLA_HOME";
  /** The system property naming Cella's home directory; it wins over {@link #HOME_ENV}. */
  public static final String HOME_PROPERTY = "cella.home";

  private static final System.Logger LOG = System.getLogger(SoftwarePlatform.class.getName());
  private static final AtomicBoolean SIM_WARNED = new AtomicBoolean();
  private static final AtomicBoolean NO_POSIX_WARNED = new AtomicBoolean();
  private static final Set<String> RUNTIME_FACTS = Set.of(ClaimNames.JDK_VERSION,
      ClaimNames.BACKEND_VERSION, ClaimNames.IMAGE_MEASUREMENT, ClaimNames.VM_KERNEL,
      ClaimNames.VM_INITRD, ClaimNames.VM_CMDLINE);
  private static final List<String> VM_IMAGE_FACTS =
      List.of(ClaimNames.VM_KERNEL, ClaimNames.VM_INITRD, ClaimNames.VM_CMDLINE);

  private final PlatformKind kind;
  private final PlatformStore store;
  private final Clock clock;
  private final X509Certificate root;
  private final SealingRoot sealingRoot;
  private final Object renewalLock = new Object();
  private volatile AttestationKey attestation;
  private volatile boolean closed;

  private SoftwarePlatform(PlatformKind kind, PlatformStore store, Clock clock,
      PlatformKeys.Loaded loaded) {
    this.kind = kind;
    this.store = store;
    this.clock = clock;
    this.root = loaded.root();
    this.attestation = loaded.attestation();
    this.sealingRoot = loaded.sealingRoot();
  }

  /**
   * Opens the {@code kind} platform in {@code directory}, creating its keys on first use.
   *
   * @throws IllegalArgumentException if {@code kind} is not a software platform
   * @throws EnclaveException FAILED_PRECONDITION if the directory is accessible by others or holds
   *     another platform kind, DATA_LOSS if its files are damaged, UNAVAILABLE on I/O errors
   */
  public static SoftwarePlatform open(PlatformKind kind, Path directory) {
    return open(kind, directory, Clock.systemUTC());
  }

  /** As {@link #open(PlatformKind, Path)}, with the clock that dates certificates and evidence. */
  public static SoftwarePlatform open(PlatformKind kind, Path directory, Clock clock) {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(clock, "clock");
    if (!kind.isSoftware()) {
      throw new IllegalArgumentException(kind.id() + " is not a Cella software platform");
    }
    PlatformStore store = new PlatformStore(directory, kind);
    if (!store.enforcesPermissions() && NO_POSIX_WARNED.compareAndSet(false, true)) {
      LOG.log(Level.WARNING, "file system of {0} has no POSIX permissions; platform keys are"
          + " protected only by its own access control", store.directory());
    }
    return new SoftwarePlatform(kind, store, clock,
        PlatformKeys.openOrCreate(store, kind, clock.instant()));
  }

  /**
   * Cella's home: the system property {@code cella.home}, else the environment variable {@code
   * CELLA_HOME}, else {@code ~/.cella}.
   */
  public static Path defaultHome() {
    String property = System.getProperty(HOME_PROPERTY);
    if (property != null && !property.isBlank()) {
      return Path.of(property);
    }
    String env = System.getenv(HOME_ENV);
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".cella");
  }

  /** {@code defaultHome()/platforms/<kind>}, the directory of {@code kind}'s platform. */
  public static Path defaultDirectory(PlatformKind kind) {
    return defaultHome().resolve("platforms").resolve(kind.id());
  }

  /** The platform kind. */
  public PlatformKind kind() {
    return kind;
  }

  /** The platform directory (absolute). */
  public Path directory() {
    return store.directory();
  }

  /** The root certificate, which verifiers trust to accept this platform's evidence. */
  public X509Certificate rootCertificate() {
    return root;
  }

  /** The root certificate in PEM, as {@code cella platform export-root} prints it. */
  public String rootCertificatePem() {
    try {
      return new String(Pem.certificate(root), StandardCharsets.US_ASCII);
    } catch (CertificateEncodingException e) {
      throw new EnclaveException(Code.INTERNAL, "cannot encode the root certificate", e);
    }
  }

  /** The current chain {@code [attestation certificate, root certificate]}. */
  public List<X509Certificate> certificateChain() {
    return List.of(attestation.certificate(), root);
  }

  /**
   * Signed evidence that {@code identity} runs on this platform, bound to {@code nonce} and
   * {@code reportData}.
   *
   * @param identity the enclave's identity; its platform must be this platform's kind
   * @param nonce the verifier's nonce, 0 to 64 bytes
   * @param reportData data the enclave binds (e.g. a hash of its public key), 0 to 64 bytes
   * @param runtimeFacts {@code jdk-version} and {@code backend-version} (required, 1 to 128
   *     visible ASCII characters), and for vm optionally {@code image-measurement} (96 hex
   *     digits), or all of {@code vm-kernel}, {@code vm-initrd}, {@code vm-cmdline} (96 hex digits
   *     each) with {@code image-measurement} their combination ({@link
   *     CellaEvidence#vmImageMeasurement}): then the evidence is v2
   * @return the COSE_Sign1 evidence
   * @throws IllegalArgumentException if an argument is out of range
   * @throws EnclaveException FAILED_PRECONDITION if the platform is closed
   */
  public byte[] issueEvidence(EnclaveIdentity identity, byte[] nonce, byte[] reportData,
      Map<String, String> runtimeFacts) {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(nonce, "nonce");
    Objects.requireNonNull(reportData, "reportData");
    Objects.requireNonNull(runtimeFacts, "runtimeFacts");
    if (identity.platform() != kind) {
      throw new IllegalArgumentException("the " + kind.id() + " platform cannot vouch for an"
          + " enclave on platform " + identity.platform().id());
    }
    if (nonce.length > CellaEvidence.MAX_NONCE_LENGTH) {
      throw new IllegalArgumentException("nonce has " + nonce.length + " bytes; at most "
          + CellaEvidence.MAX_NONCE_LENGTH);
    }
    if (reportData.length > CellaEvidence.MAX_REPORT_DATA_LENGTH) {
      throw new IllegalArgumentException("report data has " + reportData.length
          + " bytes; at most " + CellaEvidence.MAX_REPORT_DATA_LENGTH);
    }
    for (String fact : runtimeFacts.keySet()) {
      if (!RUNTIME_FACTS.contains(fact)) {
        throw new IllegalArgumentException("unknown runtime fact '" + fact
            + "' (known: jdk-version, backend-version, image-measurement, vm-kernel,"
            + " vm-initrd, vm-cmdline)");
      }
    }
    long stated = VM_IMAGE_FACTS.stream().filter(runtimeFacts::containsKey).count();
    if (stated != 0 && stated != VM_IMAGE_FACTS.size()) {
      throw new IllegalArgumentException("vm-kernel, vm-initrd and vm-cmdline go together");
    }
    Optional<EvidenceClaims.VmImage> vmImage = stated == 0 ? Optional.empty()
        : Optional.of(new EvidenceClaims.VmImage(image(runtimeFacts.get(ClaimNames.VM_KERNEL)),
            image(runtimeFacts.get(ClaimNames.VM_INITRD)),
            image(runtimeFacts.get(ClaimNames.VM_CMDLINE))));
    Instant now = clock.instant();
    EvidenceClaims claims = new EvidenceClaims(kind, CellaEvidence.securityLevelOf(kind),
        Bytes.of(identity.measurement().toByteArray()), Bytes.of(identity.signer().toByteArray()),
        identity.productId(), identity.svn(), identity.debug(), Bytes.of(nonce),
        Bytes.of(reportData), now.getEpochSecond(),
        required(runtimeFacts, ClaimNames.JDK_VERSION),
        required(runtimeFacts, ClaimNames.BACKEND_VERSION),
        Optional.ofNullable(runtimeFacts.get(ClaimNames.IMAGE_MEASUREMENT)).map(this::image),
        vmImage);
    AttestationKey key = currentKey(now);
    if (kind == PlatformKind.SIM && SIM_WARNED.compareAndSet(false, true)) {
      LOG.log(Level.WARNING, "issuing SIMULATED evidence: the sim platform has no isolation and"
          + " its keys are in {0}; this evidence proves nothing to anyone", store.directory());
    }
    try {
      return CoseSign1.sign(claims.encode(), List.of(key.certificate(), root), key.privateKey());
    } catch (GeneralSecurityException e) {
      throw new EnclaveException(Code.INTERNAL, "cannot sign evidence: " + e.getMessage(), e);
    }
  }

  /**
   * A 32-byte seed for sealing keys: HKDF-SHA384 (RFC 5869, empty salt) of this platform's
   * sealing root, expanded with {@code info}. The same platform directory and {@code info} give
   * the same seed in every process; the caller owns the result and should wipe it after use.
   *
   * @param info what the seed is for (e.g. a label and the identity it is bound to); not empty
   * @throws EnclaveException FAILED_PRECONDITION if the platform is closed
   */
  public byte[] deriveSealingSeed(byte[] info) {
    Objects.requireNonNull(info, "info");
    if (info.length == 0) {
      throw new IllegalArgumentException("info must say what the seed is for; it is empty");
    }
    checkOpen();
    return sealingRoot.deriveSeed(info);
  }

  /**
   * Wipes the sealing root from memory; later calls fail. Idempotent. (The JDK cannot destroy EC
   * private keys; they become unreachable with this object.)
   */
  @Override
  public void close() {
    closed = true;
    sealingRoot.close();
  }

  /** The kind and directory only. */
  @Override
  public String toString() {
    return "SoftwarePlatform[" + kind.id() + " in " + store.directory() + "]";
  }

  private AttestationKey currentKey(Instant now) {
    checkOpen();
    AttestationKey key = attestation;
    if (key.needsRenewal(now, PlatformKeys.RENEW_BEFORE)) {
      synchronized (renewalLock) {
        key = attestation;
        if (key.needsRenewal(now, PlatformKeys.RENEW_BEFORE)) {
          key = PlatformKeys.renewIfDue(store, kind, root, now);
          attestation = key;
        }
      }
    }
    return key;
  }

  private void checkOpen() {
    if (closed) {
      throw new EnclaveException(Code.FAILED_PRECONDITION, "the " + kind.id() + " platform in "
          + store.directory() + " is closed");
    }
  }

  private Bytes image(String hex) {
    if (kind != PlatformKind.VM) {
      throw new IllegalArgumentException("only the vm platform states an image measurement");
    }
    if (hex.length() != 96) {
      throw new IllegalArgumentException("a vm image digest must be 96 hex digits (SHA-384), got "
          + hex.length());
    }
    return Bytes.fromHex(hex);
  }

  private static String required(Map<String, String> facts, String name) {
    String value = facts.get(name);
    if (!EvidenceClaims.isValidText(value)) {
      throw new IllegalArgumentException("runtime fact '" + name + "' must be 1 to 128 visible"
          + " ASCII characters, got " + (value == null ? "none" : "'" + value + "'"));
    }
    return value;
  }
}
