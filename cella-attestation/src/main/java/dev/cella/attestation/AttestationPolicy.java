package dev.cella.attestation;

import dev.cella.Bytes;
import dev.cella.Measurement;
import dev.cella.PlatformKind;
import dev.cella.SignerId;
import dev.cella.attestation.internal.PlatformCertificates;
import dev.cella.attestation.internal.PolicyText;
import dev.cella.attestation.internal.RootFiles;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a verifier requires of attested evidence: which code (measurement, or signer + product id
 * + minimum SVN), whether debug enclaves pass, the nonce and report data it must be bound to,
 * which platforms and roots are trusted, which TCB statuses pass, and platform-specific claims.
 * {@link AttestationVerifier} applies it after the evidence verified cryptographically.
 *
 * <p>Safe defaults: debug enclaves are refused; only TCB status {@code UpToDate} passes; software
 * platforms have no default roots, so {@code process} and {@code vm} evidence passes only when
 * its root is trusted by name ({@link Builder#trustSoftwarePlatform(X509Certificate)}); sim
 * evidence additionally needs {@link Builder#insecureAcceptSimulated()}, and its root must still
 * be trusted by name (the opt-in does not accept just any sim root). A policy must name a
 * measurement or a signer, or say {@link Builder#anyIdentity()} explicitly.
 *
 * <p>Text form (one line of space-separated {@code key=value} tokens, printed in this order):
 * {@code identity=any measurement=HEX signer=HEX product=N min-svn=N debug=allow nonce=HEX
 * report-data=HEX platform=KIND[,KIND] root=PEM-FILE… insecure=accept-simulated tcb=STATUS[,…]}
 * and then every claim of {@link ClaimNames} as {@code name=value}, sorted by name. {@link
 * #parse} refuses unknown keys, repeated keys (except {@code root}), bad hex and bad numbers;
 * {@code parse(p.toText())} equals {@code p}, and canonical text prints back unchanged.
 *
 * <p>Example: {@code AttestationPolicy.parse("measurement=" + m.hex() + " nonce=" + nonceHex +
 * " root=process-root.pem")}.
 *
 * <p>Immutable and thread-safe.
 */
public final class AttestationPolicy {
  /** Longest nonce or report data a policy can require (Nitro's user data and nonce: 512). */
  public static final int MAX_BINDING_LENGTH = 512;
  /** Longest measurement or signer a policy can name. */
  public static final int MAX_IDENTITY_LENGTH = 64;

  private static final System.Logger LOG = System.getLogger(AttestationPolicy.class.getName());
  private static final AtomicBoolean SIMULATED_WARNED = new AtomicBoolean();
  private static final Set<PlatformKind> HARDWARE =
      EnumSet.of(PlatformKind.SGX, PlatformKind.TDX, PlatformKind.SNP, PlatformKind.NITRO);

  private final boolean anyIdentity;
  private final Optional<Bytes> measurement;
  private final Optional<Bytes> signer;
  private final OptionalInt productId;
  private final OptionalInt minSvn;
  private final boolean debugAllowed;
  private final Optional<Bytes> nonce;
  private final Optional<Bytes> reportData;
  private final Optional<Set<PlatformKind>> platforms;
  private final List<TrustedRoot> trustedRoots;
  private final boolean acceptSimulated;
  private final Set<TcbStatus> tcbStatuses;
  private final SortedMap<String, String> claims;

  private AttestationPolicy(Builder b) {
    anyIdentity = b.anyIdentity;
    measurement = Optional.ofNullable(b.measurement);
    signer = Optional.ofNullable(b.signer);
    productId = b.productId == null ? OptionalInt.empty() : OptionalInt.of(b.productId);
    minSvn = b.minSvn == null ? OptionalInt.empty() : OptionalInt.of(b.minSvn);
    debugAllowed = b.debugAllowed;
    nonce = Optional.ofNullable(b.nonce);
    reportData = Optional.ofNullable(b.reportData);
    platforms = b.platforms == null
        ? Optional.empty() : Optional.of(Collections.unmodifiableSet(EnumSet.copyOf(b.platforms)));
    trustedRoots = List.copyOf(b.roots);
    acceptSimulated = b.acceptSimulated;
    tcbStatuses = Collections.unmodifiableSet(EnumSet.copyOf(b.tcbStatuses));
    claims = Collections.unmodifiableSortedMap(new TreeMap<>(b.claims));
  }

  /** A builder with the safe defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Parses the one-line text form.
   *
   * @throws IllegalArgumentException naming the offending token, or the contradiction
   */
  public static AttestationPolicy parse(String text) {
    return PolicyText.parse(text);
  }

  /** A builder holding this policy's settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.anyIdentity = anyIdentity;
    b.measurement = measurement.orElse(null);
    b.signer = signer.orElse(null);
    b.productId = productId.isPresent() ? productId.getAsInt() : null;
    b.minSvn = minSvn.isPresent() ? minSvn.getAsInt() : null;
    b.debugAllowed = debugAllowed;
    b.nonce = nonce.orElse(null);
    b.reportData = reportData.orElse(null);
    b.platforms = platforms.map(EnumSet::copyOf).orElse(null);
    b.roots.addAll(trustedRoots);
    b.acceptSimulated = acceptSimulated;
    b.tcbStatuses = EnumSet.copyOf(tcbStatuses);
    b.claims.putAll(claims);
    return b;
  }

  /** Whether the policy accepts any code identity (it said {@code identity=any}). */
  public boolean anyIdentity() {
    return anyIdentity;
  }

  /** The required primary measurement. */
  public Optional<Bytes> measurement() {
    return measurement;
  }

  /** The required signer. */
  public Optional<Bytes> signer() {
    return signer;
  }

  /** The required product id. */
  public OptionalInt productId() {
    return productId;
  }

  /** The lowest accepted SVN. */
  public OptionalInt minSvn() {
    return minSvn;
  }

  /** Whether debug enclaves pass (default: refused). */
  public boolean debugAllowed() {
    return debugAllowed;
  }

  /** The nonce the evidence must carry. */
  public Optional<Bytes> nonce() {
    return nonce;
  }

  /** The report data the evidence must carry. */
  public Optional<Bytes> reportData() {
    return reportData;
  }

  /** The platforms the policy named with {@code platform=}; empty when it left the default. */
  public Optional<Set<PlatformKind>> platforms() {
    return platforms;
  }

  /**
   * The platforms whose evidence can pass: those named, or by default the hardware platforms plus
   * each software platform with a trusted root (sim only with the insecure opt-in).
   */
  public Set<PlatformKind> acceptedPlatforms() {
    if (platforms.isPresent()) {
      return platforms.get();
    }
    Set<PlatformKind> accepted = EnumSet.copyOf(HARDWARE);
    for (TrustedRoot root : trustedRoots) {
      PlatformCertificates.rootKindOf(root.certificate())
          .filter(kind -> kind != PlatformKind.SIM || acceptSimulated)
          .ifPresent(accepted::add);
    }
    return Collections.unmodifiableSet(accepted);
  }

  /** The trusted roots, in the order given. */
  public List<TrustedRoot> trustedRoots() {
    return trustedRoots;
  }

  /** The trusted root certificates, in the order given. */
  public List<X509Certificate> rootCertificates() {
    return trustedRoots.stream().map(TrustedRoot::certificate).toList();
  }

  /** Whether simulated (sim) evidence can pass: the insecure opt-in. */
  public boolean insecureAcceptsSimulated() {
    return acceptSimulated;
  }

  /** The TCB statuses that pass (default: {@code UpToDate}). */
  public Set<TcbStatus> acceptedTcbStatuses() {
    return tcbStatuses;
  }

  /** Required platform-specific claims, by {@link ClaimNames} name. */
  public SortedMap<String, String> claimRequirements() {
    return claims;
  }

  /**
   * The canonical one-line text form.
   *
   * @throws IllegalStateException if a root was given as a certificate, not read from a file: the
   *     text form can only name roots by file
   */
  public String toText() {
    return PolicyText.print(this, true);
  }

  /** The text form; a root given as a certificate shows as {@code root=<in-memory sha256:…>}. */
  @Override
  public String toString() {
    return PolicyText.print(this, false);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AttestationPolicy p && anyIdentity == p.anyIdentity
        && measurement.equals(p.measurement) && signer.equals(p.signer)
        && productId.equals(p.productId) && minSvn.equals(p.minSvn)
        && debugAllowed == p.debugAllowed && nonce.equals(p.nonce)
        && reportData.equals(p.reportData) && platforms.equals(p.platforms)
        && trustedRoots.equals(p.trustedRoots) && acceptSimulated == p.acceptSimulated
        && tcbStatuses.equals(p.tcbStatuses) && claims.equals(p.claims);
  }

  @Override
  public int hashCode() {
    return Objects.hash(anyIdentity, measurement, signer, productId, minSvn, debugAllowed, nonce,
        reportData, platforms, trustedRoots, acceptSimulated, tcbStatuses, claims);
  }

  /**
   * Builds a policy; every setter checks its argument at once and {@link #build()} refuses
   * missing or contradictory settings.
   *
   * <p>Not thread-safe.
   */
  public static final class Builder {
    private boolean anyIdentity;
    private Bytes measurement;
    private Bytes signer;
    private Integer productId;
    private Integer minSvn;
    private boolean debugAllowed;
    private Bytes nonce;
    private Bytes reportData;
    private Set<PlatformKind> platforms;
    private final List<TrustedRoot> roots = new ArrayList<>();
    private boolean acceptSimulated;
    private Set<TcbStatus> tcbStatuses = EnumSet.of(TcbStatus.UP_TO_DATE);
    private final Map<String, String> claims = new TreeMap<>();

    private Builder() {}

    /** Accepts any code: no measurement or signer is required. Must be said explicitly. */
    public Builder anyIdentity() {
      anyIdentity = true;
      return this;
    }

    /** Requires this primary measurement (1 to 64 bytes). */
    public Builder measurement(Bytes value) {
      measurement = identityBytes("measurement", value);
      return this;
    }

    /** Requires this Cella bundle measurement. */
    public Builder measurement(Measurement value) {
      return measurement(Bytes.of(value.toByteArray()));
    }

    /** Requires this signer (1 to 64 bytes); needs {@link #productId}. */
    public Builder signer(Bytes value) {
      signer = identityBytes("signer", value);
      return this;
    }

    /** Requires this Cella signer id; needs {@link #productId}. */
    public Builder signer(SignerId value) {
      return signer(Bytes.of(value.toByteArray()));
    }

    /** Requires this product id (0 to 65535). */
    public Builder productId(int value) {
      productId = u16("product id", value);
      return this;
    }

    /** Requires at least this SVN (0 to 65535). */
    public Builder minSvn(int value) {
      minSvn = u16("minimum SVN", value);
      return this;
    }

    /** Lets debug enclaves pass, whose secrets are not protected. Text: {@code debug=allow}. */
    public Builder insecureAllowDebug() {
      debugAllowed = true;
      return this;
    }

    /** Requires the evidence to carry this nonce (1 to 512 bytes). */
    public Builder nonce(Bytes value) {
      nonce = binding("nonce", value);
      return this;
    }

    /** Requires the evidence to carry this report data (1 to 512 bytes), compared exactly. */
    public Builder reportData(Bytes value) {
      reportData = binding("report data", value);
      return this;
    }

    /** Accepts only these platforms (not empty, no duplicates in text form). */
    public Builder platforms(Collection<PlatformKind> kinds) {
      Objects.requireNonNull(kinds, "kinds");
      if (kinds.isEmpty()) {
        throw new IllegalArgumentException("platforms must name at least one platform");
      }
      platforms = EnumSet.copyOf(kinds);
      return this;
    }

    /** Accepts only these platforms. */
    public Builder platforms(PlatformKind first, PlatformKind... more) {
      Set<PlatformKind> kinds = EnumSet.of(first, more);
      return platforms(kinds);
    }

    /**
     * Trusts a platform root certificate: a software platform's root (see {@code
     * SoftwarePlatform.rootCertificate()}), or a root that replaces or adds to a hardware
     * vendor's. It must be a self-signed CA certificate.
     */
    public Builder trustSoftwarePlatform(X509Certificate root) {
      return trust(new TrustedRoot(RootFiles.checkedRoot(root, "root"), Optional.empty()));
    }

    /** Trusts the root certificate in the PEM (or DER) file {@code pemFile}; remembers the file. */
    public Builder trustSoftwarePlatform(Path pemFile) {
      Objects.requireNonNull(pemFile, "pemFile");
      String name = pemFile.toString();
      if (name.isEmpty() || name.chars().anyMatch(c -> Character.isWhitespace(c) || c < 0x20)) {
        throw new IllegalArgumentException("root file name '" + name
            + "' is empty or has white space, which the policy text form cannot express");
      }
      return trust(new TrustedRoot(
          RootFiles.checkedRoot(RootFiles.readOne(pemFile), pemFile.toString()),
          Optional.of(pemFile)));
    }

    /**
     * <b>Insecure:</b> lets simulated (sim) evidence pass. Sim enclaves have no isolation and the
     * host holds the sim platform's keys, so such evidence proves nothing; use it only for
     * development and tests. The sim root must still be trusted by name. Logs a warning once.
     */
    public Builder insecureAcceptSimulated() {
      acceptSimulated = true;
      if (SIMULATED_WARNED.compareAndSet(false, true)) {
        LOG.log(Level.WARNING, "an attestation policy accepts SIMULATED evidence"
            + " (insecure=accept-simulated): sim evidence proves nothing about isolation");
      }
      return this;
    }

    /** The TCB statuses that pass (not empty; default {@code UpToDate}). */
    public Builder acceptTcb(Collection<TcbStatus> statuses) {
      Objects.requireNonNull(statuses, "statuses");
      if (statuses.isEmpty()) {
        throw new IllegalArgumentException("tcb must name at least one status");
      }
      tcbStatuses = EnumSet.copyOf(statuses);
      return this;
    }

    /** The TCB statuses that pass. */
    public Builder acceptTcb(TcbStatus first, TcbStatus... more) {
      Set<TcbStatus> statuses = EnumSet.of(first, more);
      return acceptTcb(statuses);
    }

    /**
     * Requires the platform-specific claim {@code name} (one of {@link ClaimNames}) to equal
     * {@code value}; hex values compare as bytes, so case does not matter.
     */
    public Builder requireClaim(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (!ClaimNames.isKnown(name)) {
        throw new IllegalArgumentException("unknown claim '" + name + "'");
      }
      if (value.isEmpty() || value.chars().anyMatch(c -> c <= 0x20 || c >= 0x7F)) {
        throw new IllegalArgumentException("claim " + name
            + " needs a value of visible ASCII characters without spaces, got '" + value + "'");
      }
      claims.put(name, value);
      return this;
    }

    /**
     * The policy.
     *
     * @throws IllegalArgumentException if it names no identity (and not {@code identity=any}), or
     *     contradicts itself
     */
    public AttestationPolicy build() {
      boolean named = measurement != null || signer != null;
      if (anyIdentity && named) {
        throw new IllegalArgumentException(
            "identity=any contradicts measurement= and signer=; say one or the other");
      }
      if (!anyIdentity && !named) {
        throw new IllegalArgumentException("a policy must name measurement= or signer= (or say"
            + " identity=any to accept any code)");
      }
      if (anyIdentity && (productId != null || minSvn != null)) {
        throw new IllegalArgumentException(
            "product= and min-svn= mean something only with signer= or measurement=");
      }
      if (signer != null && productId == null) {
        throw new IllegalArgumentException(
            "signer= needs product=: otherwise every product of that signer would pass");
      }
      if (platforms != null && platforms.contains(PlatformKind.SIM) && !acceptSimulated) {
        throw new IllegalArgumentException(
            "platform=sim needs insecure=accept-simulated: sim evidence proves nothing");
      }
      if (platforms != null && acceptSimulated && !platforms.contains(PlatformKind.SIM)) {
        throw new IllegalArgumentException(
            "insecure=accept-simulated contradicts platform= without sim");
      }
      return new AttestationPolicy(this);
    }

    private Builder trust(TrustedRoot root) {
      for (TrustedRoot existing : roots) {
        if (existing.certificate().equals(root.certificate())) {
          throw new IllegalArgumentException("root " + PlatformCertificates.describe(
              root.certificate()) + " is already trusted");
        }
      }
      roots.add(root);
      return this;
    }

    private static Bytes identityBytes(String what, Bytes value) {
      Objects.requireNonNull(value, what);
      if (value.length() == 0 || value.length() > MAX_IDENTITY_LENGTH) {
        throw new IllegalArgumentException(what + " must have 1 to " + MAX_IDENTITY_LENGTH
            + " bytes, got " + value.length());
      }
      return value;
    }

    private static Bytes binding(String what, Bytes value) {
      Objects.requireNonNull(value, what);
      if (value.length() == 0 || value.length() > MAX_BINDING_LENGTH) {
        throw new IllegalArgumentException(what + " must have 1 to " + MAX_BINDING_LENGTH
            + " bytes, got " + value.length());
      }
      return value;
    }

    private static int u16(String what, int value) {
      if (value < 0 || value > 0xFFFF) {
        throw new IllegalArgumentException(what + " must be 0 to 65535, got " + value);
      }
      return value;
    }
  }
}
