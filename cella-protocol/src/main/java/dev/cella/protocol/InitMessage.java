package dev.cella.protocol;

import dev.cella.EnclaveIdentity;
import dev.cella.EnclaveLimits;
import dev.cella.Measurement;
import dev.cella.PlatformKind;
import dev.cella.SignerId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The payload of an {@link FrameType#INITIALIZE} frame: everything the enclave runtime needs to
 * start the application. It carries the enclave's sealing keys, so it has no {@code toString}
 * and {@link #wipe()} clears them once the runtime has taken them.
 *
 * <p>Not thread-safe.
 */
public final class InitMessage {
  /** The longest class or enclave name carried. */
  public static final int MAX_NAME_BYTES = 1024;
  /** The most service entries carried. */
  public static final int MAX_SERVICES = 1024;
  /** The length of each sealing key. */
  public static final int SEALING_KEY_BYTES = 32;

  /** A service the bundle provides: the interface's name and the implementing class's name. */
  public record ServiceEntry(String interfaceName, String implementationName) {
    public ServiceEntry {
      Objects.requireNonNull(interfaceName, "interfaceName");
      Objects.requireNonNull(implementationName, "implementationName");
    }
  }

  private final String enclaveName;
  private final EnclaveIdentity identity;
  private final EnclaveLimits limits;
  private final String entryClass;
  private final List<ServiceEntry> services;
  private final byte[] config;
  private final byte[] measurementSealingKey;
  private final byte[] signerSealingKey;

  /**
   * @param entryClass the TrustedApplication class, or empty when the bundle has services only
   * @param measurementSealingKey the chain key for MEASUREMENT sealing at the enclave's SVN
   * @param signerSealingKey the chain key for SIGNER sealing at the enclave's SVN
   */
  public InitMessage(
      String enclaveName, EnclaveIdentity identity, EnclaveLimits limits, String entryClass,
      List<ServiceEntry> services, byte[] config, byte[] measurementSealingKey,
      byte[] signerSealingKey) {
    this.enclaveName = Objects.requireNonNull(enclaveName, "enclaveName");
    this.identity = Objects.requireNonNull(identity, "identity");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.entryClass = Objects.requireNonNull(entryClass, "entryClass");
    this.services = List.copyOf(services);
    this.config = config.clone();
    this.measurementSealingKey = checkKey(measurementSealingKey).clone();
    this.signerSealingKey = checkKey(signerSealingKey).clone();
  }

  public String enclaveName() {
    return enclaveName;
  }

  public EnclaveIdentity identity() {
    return identity;
  }

  public EnclaveLimits limits() {
    return limits;
  }

  public String entryClass() {
    return entryClass;
  }

  public List<ServiceEntry> services() {
    return services;
  }

  public byte[] config() {
    return config.clone();
  }

  /** A copy of the MEASUREMENT sealing key; the caller owns and wipes it. */
  public byte[] measurementSealingKey() {
    return measurementSealingKey.clone();
  }

  /** A copy of the SIGNER sealing key; the caller owns and wipes it. */
  public byte[] signerSealingKey() {
    return signerSealingKey.clone();
  }

  /** Clears the sealing keys held by this message. */
  public void wipe() {
    Arrays.fill(measurementSealingKey, (byte) 0);
    Arrays.fill(signerSealingKey, (byte) 0);
  }

  /** The payload bytes. */
  public byte[] encode() {
    WireWriter out = new WireWriter(512 + config.length);
    out.string(enclaveName);
    out.raw(identity.measurement().toByteArray());
    out.raw(identity.signer().toByteArray());
    out.u16(identity.productId()).u16(identity.svn()).u8(identity.debug() ? 1 : 0);
    out.string(identity.platform().id());
    out.u32(limits.heapMebibytes()).u32(limits.threads()).u32(limits.maxFrameBytes())
        .u32(limits.maxNestingDepth());
    out.string(entryClass);
    out.u32(services.size());
    for (ServiceEntry service : services) {
      out.string(service.interfaceName()).string(service.implementationName());
    }
    out.bytes(config);
    out.raw(measurementSealingKey).raw(signerSealingKey);
    return out.toByteArray();
  }

  /** Reads a payload, refusing anything malformed with a {@link ProtocolException}. */
  public static InitMessage decode(byte[] payload) {
    WireReader in = new WireReader(payload);
    String name = in.string(MAX_NAME_BYTES, "enclave name");
    Measurement measurement = Measurement.of(in.raw(48, "measurement"));
    SignerId signer = SignerId.of(in.raw(48, "signer"));
    int productId = in.u16("product id");
    int svn = in.u16("svn");
    boolean debug = in.bool("debug flag");
    PlatformKind platform;
    EnclaveLimits limits;
    try {
      platform = PlatformKind.fromId(in.string(32, "platform"));
      limits = new EnclaveLimits(in.u32("heap"), in.u32("threads"), in.u32("max frame bytes"),
          in.u32("max nesting depth"));
    } catch (IllegalArgumentException e) {
      throw new ProtocolException("initialization message: " + e.getMessage());
    }
    String entry = in.string(MAX_NAME_BYTES, "entry class");
    int count = in.u32("service count");
    if (count < 0 || count > MAX_SERVICES) {
      throw new ProtocolException("initialization message names " + count + " services");
    }
    List<ServiceEntry> services = new ArrayList<>(Math.min(count, 16));
    for (int i = 0; i < count; i++) {
      services.add(new ServiceEntry(
          in.string(MAX_NAME_BYTES, "service interface"),
          in.string(MAX_NAME_BYTES, "service implementation")));
    }
    byte[] config = in.bytes(limits.maxFrameBytes(), "config");
    byte[] measurementKey = in.raw(SEALING_KEY_BYTES, "sealing key");
    byte[] signerKey = in.raw(SEALING_KEY_BYTES, "sealing key");
    in.expectEnd("initialization message");
    EnclaveIdentity identity =
        new EnclaveIdentity(measurement, signer, productId, svn, debug, platform);
    InitMessage message = new InitMessage(
        name, identity, limits, entry, services, config, measurementKey, signerKey);
    Arrays.fill(measurementKey, (byte) 0);
    Arrays.fill(signerKey, (byte) 0);
    return message;
  }

  private static byte[] checkKey(byte[] key) {
    if (key.length != SEALING_KEY_BYTES) {
      throw new IllegalArgumentException("a sealing key has " + SEALING_KEY_BYTES + " bytes");
    }
    return key;
  }
}
