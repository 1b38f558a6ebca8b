package dev.cella.attestation.cose.internal;

import com.upokecenter.cbor.CBOREncodeOptions;
import com.upokecenter.cbor.CBORObject;
import com.upokecenter.cbor.CBORType;
import dev.cella.Bytes;
import dev.cella.PlatformKind;
import dev.cella.SecurityLevel;
import dev.cella.attestation.AttestationException;
import dev.cella.attestation.AttestationException.Reason;
import dev.cella.attestation.ClaimNames;
import dev.cella.attestation.cose.CellaEvidence;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The claims map of cella-cose v1 and v2 (the COSE payload), with the exact rules of {@code
 * docs/evidence-format.md}: its constructor refuses values the format cannot carry, {@link
 * #fromCbor} refuses a map that is not exactly a v1 or v2 claims set. v2 is v1 plus the vm
 * image's digests ({@link VmImage}); claims with a vm image encode as v2, all others as v1.
 *
 * <p>Immutable and thread-safe.
 */
public record EvidenceClaims(
    PlatformKind platform, SecurityLevel securityLevel, Bytes measurement, Bytes signer,
    int productId, int svn, boolean debug, Bytes nonce, Bytes reportData, long issuedAt,
    String jdkVersion, String backendVersion, Optional<Bytes> imageMeasurement,
    Optional<VmImage> vmImage) {

  /**
   * The SHA-384 digests of the image a vm enclave booted (v2 only); the claims' image
   * measurement must be their combination ({@link CellaEvidence#vmImageMeasurement}).
   */
  public record VmImage(Bytes kernel, Bytes initrd, Bytes commandLine) {
    public VmImage {
      checkLength("vm kernel", kernel, DIGEST_LENGTH, DIGEST_LENGTH);
      checkLength("vm initrd", initrd, DIGEST_LENGTH, DIGEST_LENGTH);
      checkLength("vm command line", commandLine, DIGEST_LENGTH, DIGEST_LENGTH);
    }

    /** Their combination, the image measurement. */
    public Bytes combined() {
      return Bytes.of(CellaEvidence.vmImageMeasurement(kernel.toByteArray(), initrd.toByteArray(),
          commandLine.toByteArray()));
    }
  }

  /** v1 claims: no vm image digests. */
  public EvidenceClaims(PlatformKind platform, SecurityLevel securityLevel, Bytes measurement,
      Bytes signer, int productId, int svn, boolean debug, Bytes nonce, Bytes reportData,
      long issuedAt, String jdkVersion, String backendVersion, Optional<Bytes> imageMeasurement) {
    this(platform, securityLevel, measurement, signer, productId, svn, debug, nonce, reportData,
        issuedAt, jdkVersion, backendVersion, imageMeasurement, Optional.empty());
  }

  static final String PROFILE = "profile";
  static final String PLATFORM = "platform";
  static final String SECURITY_LEVEL = "security-level";
  static final String MEASUREMENT = "measurement";
  static final String SIGNER = "signer";
  static final String PRODUCT_ID = "product-id";
  static final String SVN = "svn";
  static final String DEBUG = "debug";
  static final String NONCE = "nonce";
  static final String REPORT_DATA = "report-data";
  static final String ISSUED_AT = "issued-at";
  static final String RUNTIME = "runtime";
  private static final Set<String> CLAIMS = Set.of(PROFILE, PLATFORM, SECURITY_LEVEL, MEASUREMENT,
      SIGNER, PRODUCT_ID, SVN, DEBUG, NONCE, REPORT_DATA, ISSUED_AT, RUNTIME);
  private static final Set<String> RUNTIME_FACTS =
      Set.of(ClaimNames.JDK_VERSION, ClaimNames.BACKEND_VERSION, ClaimNames.IMAGE_MEASUREMENT);
  private static final Set<String> RUNTIME_FACTS_V2 = Set.of(ClaimNames.JDK_VERSION,
      ClaimNames.BACKEND_VERSION, ClaimNames.IMAGE_MEASUREMENT, ClaimNames.VM_KERNEL,
      ClaimNames.VM_INITRD, ClaimNames.VM_CMDLINE);

  /** Latest issued-at accepted: 9999-12-31T23:59:59Z, so that it fits an {@code Instant}. */
  static final long MAX_ISSUED_AT = 253_402_300_799L;
  static final int DIGEST_LENGTH = 48;
  static final int MAX_TEXT_LENGTH = 128;

  public EvidenceClaims {
    Objects.requireNonNull(platform, "platform");
    if (securityLevel != CellaEvidence.securityLevelOf(platform)) {
      throw new IllegalArgumentException(
          "platform " + platform.id() + " states security level "
              + CellaEvidence.securityLevelOf(platform).id() + ", not " + securityLevel.id());
    }
    checkLength("measurement", measurement, DIGEST_LENGTH, DIGEST_LENGTH);
    checkLength("signer", signer, DIGEST_LENGTH, DIGEST_LENGTH);
    checkU16("product id", productId);
    checkU16("SVN", svn);
    checkLength("nonce", nonce, 0, CellaEvidence.MAX_NONCE_LENGTH);
    checkLength("report data", reportData, 0, CellaEvidence.MAX_REPORT_DATA_LENGTH);
    if (issuedAt < 0 || issuedAt > MAX_ISSUED_AT) {
      throw new IllegalArgumentException("issued-at " + issuedAt + " is out of range");
    }
    checkText(ClaimNames.JDK_VERSION, jdkVersion);
    checkText(ClaimNames.BACKEND_VERSION, backendVersion);
    Objects.requireNonNull(imageMeasurement, "imageMeasurement");
    imageMeasurement.ifPresent(m -> checkLength("image measurement", m, DIGEST_LENGTH, DIGEST_LENGTH));
    if (imageMeasurement.isPresent() && platform != PlatformKind.VM) {
      throw new IllegalArgumentException("only the vm platform states an image measurement");
    }
    Objects.requireNonNull(vmImage, "vmImage");
    if (vmImage.isPresent()) {
      if (platform != PlatformKind.VM) {
        throw new IllegalArgumentException("only the vm platform states a vm image");
      }
      if (!imageMeasurement.equals(Optional.of(vmImage.get().combined()))) {
        throw new IllegalArgumentException(
            "the image measurement must be the combination of the vm image's digests");
      }
    }
  }

  /** The profile these claims encode as: v2 with a vm image, else v1. */
  public String profile() {
    return vmImage.isPresent() ? CellaEvidence.PROFILE_V2 : CellaEvidence.PROFILE;
  }

  /** The platform-specific claims of {@code VerifiedEnclave}, by {@link ClaimNames}. */
  public Map<String, String> runtimeClaims() {
    Map<String, String> claims = new TreeMap<>();
    claims.put(ClaimNames.JDK_VERSION, jdkVersion);
    claims.put(ClaimNames.BACKEND_VERSION, backendVersion);
    imageMeasurement.ifPresent(m -> claims.put(ClaimNames.IMAGE_MEASUREMENT, m.hex()));
    vmImage.ifPresent(image -> {
      claims.put(ClaimNames.VM_KERNEL, image.kernel().hex());
      claims.put(ClaimNames.VM_INITRD, image.initrd().hex());
      claims.put(ClaimNames.VM_CMDLINE, image.commandLine().hex());
    });
    return claims;
  }

  /** The deterministic CBOR encoding of the claims map. */
  public byte[] encode() {
    CBORObject runtime = CBORObject.NewOrderedMap();
    runtime.Add(ClaimNames.JDK_VERSION, jdkVersion);
    runtime.Add(ClaimNames.BACKEND_VERSION, backendVersion);
    imageMeasurement.ifPresent(m -> runtime.Add(ClaimNames.IMAGE_MEASUREMENT, m.toByteArray()));
    vmImage.ifPresent(image -> {
      runtime.Add(ClaimNames.VM_KERNEL, image.kernel().toByteArray());
      runtime.Add(ClaimNames.VM_INITRD, image.initrd().toByteArray());
      runtime.Add(ClaimNames.VM_CMDLINE, image.commandLine().toByteArray());
    });
    CBORObject map = CBORObject.NewOrderedMap();
    map.Add(PROFILE, profile());
    map.Add(PLATFORM, platform.id());
    map.Add(SECURITY_LEVEL, securityLevel.id());
    map.Add(MEASUREMENT, measurement.toByteArray());
    map.Add(SIGNER, signer.toByteArray());
    map.Add(PRODUCT_ID, productId);
    map.Add(SVN, svn);
    map.Add(DEBUG, debug);
    map.Add(NONCE, nonce.toByteArray());
    map.Add(REPORT_DATA, reportData.toByteArray());
    map.Add(ISSUED_AT, issuedAt);
    map.Add(RUNTIME, runtime);
    return map.EncodeToBytes(CBOREncodeOptions.DefaultCtap2Canonical);
  }

  /**
   * Reads a decoded claims map; {@code offset} (of the payload in the evidence) is for messages.
   *
   * @throws AttestationException UNSUPPORTED_FORMAT for another profile, MALFORMED for anything
   *     else that is not a v1 or v2 claims set
   */
  public static EvidenceClaims fromCbor(CBORObject map, int offset) throws AttestationException {
    if (map.getType() != CBORType.Map) {
      throw new AttestationException(Reason.MALFORMED,
          "cella-cose: payload at offset " + offset + " must be a map of claims");
    }
    Reader reader = new Reader(map, "payload at offset " + offset);
    String profile = reader.text(PROFILE);
    boolean v2 = profile.equals(CellaEvidence.PROFILE_V2);
    if (!v2 && !profile.equals(CellaEvidence.PROFILE)) {
      throw new AttestationException(Reason.UNSUPPORTED_FORMAT, "cella-cose: profile '" + profile
          + "' is not " + CellaEvidence.PROFILE + " or " + CellaEvidence.PROFILE_V2
          + " (payload at offset " + offset + ")");
    }
    reader.onlyKeys(CLAIMS);
    PlatformKind platform = reader.platform();
    SecurityLevel level = reader.securityLevel();
    if (level != CellaEvidence.securityLevelOf(platform)) {
      throw reader.malformed(SECURITY_LEVEL, "'" + level.id() + "' contradicts platform "
          + platform.id() + " (which states '" + CellaEvidence.securityLevelOf(platform).id() + "')");
    }
    Reader runtime = reader.map(RUNTIME);
    runtime.onlyKeys(v2 ? RUNTIME_FACTS_V2 : RUNTIME_FACTS);
    Optional<Bytes> image = runtime.has(ClaimNames.IMAGE_MEASUREMENT)
        ? Optional.of(runtime.bytes(ClaimNames.IMAGE_MEASUREMENT, DIGEST_LENGTH, DIGEST_LENGTH))
        : Optional.empty();
    if (image.isPresent() && platform != PlatformKind.VM) {
      throw runtime.malformed(ClaimNames.IMAGE_MEASUREMENT, "only the vm platform states one");
    }
    Optional<VmImage> vmImage = Optional.empty();
    if (v2) {
      if (platform != PlatformKind.VM) {
        throw reader.malformed(PROFILE, "v2 is the vm platform's; " + platform.id() + " issues v1");
      }
      VmImage digests = new VmImage(
          runtime.bytes(ClaimNames.VM_KERNEL, DIGEST_LENGTH, DIGEST_LENGTH),
          runtime.bytes(ClaimNames.VM_INITRD, DIGEST_LENGTH, DIGEST_LENGTH),
          runtime.bytes(ClaimNames.VM_CMDLINE, DIGEST_LENGTH, DIGEST_LENGTH));
      if (image.isEmpty()) {
        throw runtime.malformed(ClaimNames.IMAGE_MEASUREMENT, "is missing");
      }
      if (!image.get().equals(digests.combined())) {
        throw runtime.malformed(ClaimNames.IMAGE_MEASUREMENT,
            "is not the combination of vm-kernel, vm-initrd and vm-cmdline");
      }
      vmImage = Optional.of(digests);
    }
    return new EvidenceClaims(platform, level,
        reader.bytes(MEASUREMENT, DIGEST_LENGTH, DIGEST_LENGTH),
        reader.bytes(SIGNER, DIGEST_LENGTH, DIGEST_LENGTH),
        (int) reader.unsigned(PRODUCT_ID, 0xFFFF),
        (int) reader.unsigned(SVN, 0xFFFF),
        reader.bool(DEBUG),
        reader.bytes(NONCE, 0, CellaEvidence.MAX_NONCE_LENGTH),
        reader.bytes(REPORT_DATA, 0, CellaEvidence.MAX_REPORT_DATA_LENGTH),
        reader.unsigned(ISSUED_AT, MAX_ISSUED_AT),
        runtime.text(ClaimNames.JDK_VERSION),
        runtime.text(ClaimNames.BACKEND_VERSION),
        image, vmImage);
  }

  /** Whether {@code value} can be a runtime fact's text: 1 to 128 visible ASCII characters. */
  public static boolean isValidText(String value) {
    return value != null && !value.isEmpty() && value.length() <= MAX_TEXT_LENGTH
        && value.chars().allMatch(c -> c > 0x20 && c < 0x7F);
  }

  private static void checkText(String what, String value) {
    if (!isValidText(value)) {
      throw new IllegalArgumentException(
          what + " must be 1 to " + MAX_TEXT_LENGTH + " visible ASCII characters, got '" + value + "'");
    }
  }

  private static void checkLength(String what, Bytes value, int min, int max) {
    Objects.requireNonNull(value, what);
    if (value.length() < min || value.length() > max) {
      throw new IllegalArgumentException(what + " must have " + (min == max ? min : min + " to " + max)
          + " bytes, got " + value.length());
    }
  }

  private static void checkU16(String what, int value) {
    if (value < 0 || value > 0xFFFF) {
      throw new IllegalArgumentException(what + " must be 0 to 65535, got " + value);
    }
  }

  /** Typed, strict access to one CBOR map, with messages that name the claim and where it is. */
  private record Reader(CBORObject map, String where) {

    void onlyKeys(Set<String> known) throws AttestationException {
      for (CBORObject key : map.getKeys()) {
        if (key.getType() != CBORType.TextString) {
          throw new AttestationException(Reason.MALFORMED,
              "cella-cose: claim key " + key + " is not a text string (" + where + ")");
        }
        if (!known.contains(key.AsString())) {
          throw new AttestationException(Reason.MALFORMED,
              "cella-cose: unknown claim '" + key.AsString() + "' (" + where + ")");
        }
      }
    }

    boolean has(String key) {
      return map.ContainsKey(key);
    }

    CBORObject get(String key, CBORType type, String expected) throws AttestationException {
      CBORObject value = map.get(key);
      if (value == null) {
        throw malformed(key, "is missing");
      }
      if (value.getType() != type) {
        throw malformed(key, "must be " + expected + ", got " + value.getType());
      }
      return value;
    }

    String text(String key) throws AttestationException {
      String value = get(key, CBORType.TextString, "a text string").AsString();
      if (!key.equals(PROFILE) && !key.equals(PLATFORM) && !key.equals(SECURITY_LEVEL)
          && !isValidText(value)) {
        throw malformed(key, "must be 1 to " + MAX_TEXT_LENGTH + " visible ASCII characters");
      }
      return value;
    }

    Bytes bytes(String key, int min, int max) throws AttestationException {
      byte[] value = get(key, CBORType.ByteString, "a byte string").GetByteString();
      if (value.length < min || value.length > max) {
        throw malformed(key, "must have " + (min == max ? min : min + " to " + max)
            + " bytes, got " + value.length);
      }
      return Bytes.of(value);
    }

    long unsigned(String key, long max) throws AttestationException {
      CBORObject value = get(key, CBORType.Integer, "an unsigned integer");
      if (!value.CanValueFitInInt64() || value.AsInt64Value() < 0 || value.AsInt64Value() > max) {
        throw malformed(key, "must be 0 to " + max + ", got " + value);
      }
      return value.AsInt64Value();
    }

    boolean bool(String key) throws AttestationException {
      return get(key, CBORType.Boolean, "a boolean").AsBoolean();
    }

    Reader map(String key) throws AttestationException {
      return new Reader(get(key, CBORType.Map, "a map"), "claim '" + key + "' of the " + where);
    }

    PlatformKind platform() throws AttestationException {
      String id = text(PLATFORM);
      for (PlatformKind kind : PlatformKind.values()) {
        if (kind.isSoftware() && kind.id().equals(id)) {
          return kind;
        }
      }
      throw malformed(PLATFORM, "'" + id + "' is not a Cella software platform (sim, process, vm)");
    }

    SecurityLevel securityLevel() throws AttestationException {
      String id = text(SECURITY_LEVEL);
      for (SecurityLevel level : SecurityLevel.values()) {
        if (level.id().equals(id)) {
          return level;
        }
      }
      throw malformed(SECURITY_LEVEL, "'" + id + "' is not a known security level");
    }

    AttestationException malformed(String key, String what) {
      return new AttestationException(Reason.MALFORMED,
          "cella-cose: claim '" + key + "' " + what + " (" + where + ")");
    }
  }
}
