package dev.cella.host.internal;

import dev.cella.EnclaveException;
import dev.cella.EnclaveIdentity;
import dev.cella.EnclaveStatus.Code;
import dev.cella.PlatformKind;
import dev.cella.attestation.platform.SoftwarePlatform;
import dev.cella.protocol.EvidenceRequest;
import dev.cella.protocol.WireWriter;
import dev.cella.protocol.sealing.SealingKeyChain;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The software platforms this host runs enclaves on, opened on first use from their folders
 * under {@code $CELLA_HOME} (see {@link SoftwarePlatform}): they sign evidence for the identity
 * they measured and derive each enclave's sealing keys. Embedded in the host process: see the
 * backends' threat models for what that means.
 *
 * <p>Thread-safe.
 */
public final class Platforms implements AutoCloseable {
  private static final byte[] MEASUREMENT_LABEL =
      "cella-seal-measurement-v1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SIGNER_LABEL =
      "cella-seal-signer-v1".getBytes(StandardCharsets.US_ASCII);

  private final Path home;
  private final Function<PlatformKind, Path> directories;
  private final Map<PlatformKind, SoftwarePlatform> open = new EnumMap<>(PlatformKind.class);
  private boolean closed;

  /** The two chain keys an enclave receives at initialization; wipe once sent. */
  record SealingKeys(byte[] measurement, byte[] signer) {
    void wipe() {
      Arrays.fill(measurement, (byte) 0);
      Arrays.fill(signer, (byte) 0);
    }
  }

  /** Platforms in their default folders, {@code $CELLA_HOME/platforms/KIND}. */
  public static Platforms inDefaultHome() {
    return new Platforms(SoftwarePlatform.defaultHome(), SoftwarePlatform::defaultDirectory);
  }

  /** Platforms in folders under {@code home}. */
  public static Platforms in(Path home) {
    Objects.requireNonNull(home, "home");
    return new Platforms(home, kind -> home.resolve("platforms").resolve(kind.id()));
  }

  private Platforms(Path home, Function<PlatformKind, Path> directories) {
    this.home = home;
    this.directories = directories;
  }

  /** The Cella home folder: platforms, and by default the enclaves' sealed storage. */
  public Path home() {
    return home;
  }

  /**
   * The platform of {@code kind}, created in its folder on first use.
   *
   * @throws EnclaveException {@code FAILED_PRECONDITION} once closed: a load that was under way
   *     when its manager closed must fail, not open the platform's keys again
   */
  public synchronized SoftwarePlatform platform(PlatformKind kind) {
    if (closed) {
      throw new EnclaveException(Code.FAILED_PRECONDITION, "this enclave manager is closed");
    }
    if (!kind.isSoftware()) {
      throw new EnclaveException(Code.FAILED_PRECONDITION,
          kind.id() + " is a hardware platform: its evidence comes from the CPU, not from Cella");
    }
    SoftwarePlatform platform = open.get(kind);
    if (platform == null) {
      try {
        platform = SoftwarePlatform.open(kind, directories.apply(kind));
      } catch (RuntimeException e) {
        throw new EnclaveException(Code.UNAVAILABLE, "the " + kind.id()
            + " platform cannot open its keys in " + directories.apply(kind) + ": "
            + e.getMessage(), e);
      }
      open.put(kind, platform);
    }
    return platform;
  }

  /** Evidence for {@code identity}, as its platform measured it, binding the request's data. */
  byte[] evidence(EnclaveIdentity identity, EvidenceRequest request) {
    return evidence(identity, request, Map.of());
  }

  /**
   * Evidence for {@code identity} that also states what the backend measured at launch ({@link
   * dev.cella.spi.EnclaveConnection#launchMeasurements()}).
   */
  byte[] evidence(EnclaveIdentity identity, EvidenceRequest request,
      Map<String, String> launchMeasurements) {
    Map<String, String> facts = new java.util.HashMap<>(launchMeasurements);
    facts.put("jdk-version", Runtime.version().toString());
    facts.put("backend-version", RuntimeVersion.VALUE);
    return platform(identity.platform()).issueEvidence(identity, request.nonce().toByteArray(),
        request.reportData().toByteArray(), facts);
  }

  /**
   * The chain keys at the identity's SVN for both seal policies: MEASUREMENT is bound to the
   * measurement and debug flag, SIGNER to the signer, product id and debug flag (a debug build
   * never shares keys with a production one).
   */
  SealingKeys sealingKeys(EnclaveIdentity identity) {
    SoftwarePlatform platform = platform(identity.platform());
    int debug = identity.debug() ? 1 : 0;
    byte[] measurementInfo = new WireWriter(96).raw(MEASUREMENT_LABEL)
        .raw(identity.measurement().toByteArray()).u8(debug).toByteArray();
    byte[] signerInfo = new WireWriter(96).raw(SIGNER_LABEL)
        .raw(identity.signer().toByteArray()).u16(identity.productId()).u8(debug).toByteArray();
    byte[] measurementSeed = platform.deriveSealingSeed(measurementInfo);
    byte[] signerSeed = platform.deriveSealingSeed(signerInfo);
    try {
      return new SealingKeys(SealingKeyChain.keyAt(measurementSeed, identity.svn()),
          SealingKeyChain.keyAt(signerSeed, identity.svn()));
    } finally {
      Arrays.fill(measurementSeed, (byte) 0);
      Arrays.fill(signerSeed, (byte) 0);
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    open.values().forEach(SoftwarePlatform::close);
    open.clear();
  }
}
