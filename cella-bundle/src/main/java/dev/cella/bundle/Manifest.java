package dev.cella.bundle;

import dev.cella.Bytes;
import dev.cella.EnclaveIdentity;
import dev.cella.EnclaveLimits;
import dev.cella.bundle.internal.ManifestJson;
import dev.cella.bundle.internal.Names;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The manifest of a bundle ({@code cella/manifest.json}): what the enclave runs, who it claims to
 * be (product id, SVN, debug), the limits it runs under, the host access it is granted and its
 * initial configuration. The manifest is measured, so every field is part of the enclave's
 * identity. The JSON form is described in {@code docs/bundle-format.md}.
 *
 * <pre>{@code
 * Manifest manifest = Manifest.builder()
 *     .name("signer")
 *     .entry("com.example.SignerApp")
 *     .productId(1).svn(3)
 *     .build();
 * byte[] json = manifest.toJson();            // deterministic
 * Manifest same = Manifest.fromJson(json);    // strict
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class Manifest {
  /** The only manifest format version this code reads and writes. */
  public static final int FORMAT_VERSION = 1;
  /** The largest manifest file accepted, in bytes. */
  public static final int MAX_JSON_BYTES = 16 << 20;
  /** The largest initial configuration, in bytes. */
  public static final int MAX_INITIAL_CONFIG_BYTES = 8 << 20;
  /** The most services one manifest may declare. */
  public static final int MAX_SERVICES = 256;

  private final String name;
  private final String entry;
  private final List<ServiceBinding> services;
  private final int productId;
  private final int svn;
  private final boolean debug;
  private final EnclaveLimits limits;
  private final HostAccess hostAccess;
  private final Bytes initialConfig;
  private final ApplicationSpec application;

  private Manifest(Builder b) {
    this.name = b.name;
    this.entry = b.entry;
    this.services = List.copyOf(b.services);
    this.productId = b.productId;
    this.svn = b.svn;
    this.debug = b.debug;
    this.limits = b.limits;
    this.hostAccess = b.hostAccess;
    this.initialConfig = b.initialConfig;
    this.application = b.application;
  }

  /** A new builder with the defaults: no entry, no services, product 0, SVN 0, not debug. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Parses a manifest strictly: the format version first, then every field; unknown, duplicate,
   * missing, mistyped or out-of-range fields and trailing content are refused.
   *
   * @throws InvalidBundleException with {@code UNSUPPORTED_FORMAT_VERSION} or {@code INVALID_MANIFEST}
   */
  public static Manifest fromJson(byte[] json) throws InvalidBundleException {
    return ManifestJson.read(json);
  }

  /** The manifest's canonical JSON: fixed key order, no whitespace, UTF-8. */
  public byte[] toJson() {
    return ManifestJson.write(this);
  }

  /** A builder holding this manifest's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.name = name;
    b.entry = entry;
    b.services.addAll(services);
    b.productId = productId;
    b.svn = svn;
    b.debug = debug;
    b.limits = limits;
    b.hostAccess = hostAccess;
    b.initialConfig = initialConfig;
    b.application = application;
    return b;
  }

  /** The format version, always {@link #FORMAT_VERSION}. */
  public int formatVersion() {
    return FORMAT_VERSION;
  }

  /** The bundle's name. */
  public String name() {
    return name;
  }

  /** The {@code TrustedApplication} class, if the bundle has one. */
  public Optional<String> entry() {
    return Optional.ofNullable(entry);
  }

  /** The typed services, in manifest order. */
  public List<ServiceBinding> services() {
    return services;
  }

  /** The product id, 0 to 65535. */
  public int productId() {
    return productId;
  }

  /** The security version number, 0 to 65535. */
  public int svn() {
    return svn;
  }

  /** Whether this is a debug build, whose secrets are not protected. */
  public boolean debug() {
    return debug;
  }

  /** The limits the enclave runs under. */
  public EnclaveLimits limits() {
    return limits;
  }

  /** What of the host the enclave is granted. */
  public HostAccess hostAccess() {
    return hostAccess;
  }

  /** The configuration handed to {@code initialize} when the host gives none. */
  public Bytes initialConfig() {
    return initialConfig;
  }

  /**
   * The program of an application bundle (application mode), if this is one: the enclave runs
   * its {@code main} instead of a {@code TrustedApplication} or services.
   */
  public Optional<ApplicationSpec> application() {
    return Optional.ofNullable(application);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Manifest m && name.equals(m.name) && Objects.equals(entry, m.entry)
        && services.equals(m.services) && productId == m.productId && svn == m.svn
        && debug == m.debug && limits.equals(m.limits) && hostAccess.equals(m.hostAccess)
        && initialConfig.equals(m.initialConfig) && Objects.equals(application, m.application);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, entry, services, productId, svn, debug, limits, hostAccess, initialConfig,
        application);
  }

  @Override
  public String toString() {
    return "Manifest[name=" + name + ", entry=" + entry + ", services=" + services.size()
        + ", productId=" + productId + ", svn=" + svn + ", debug=" + debug
        + (application == null ? "" : ", application=" + application.mainClass()) + "]";
  }

  /**
   * Builds a {@link Manifest}. Each setter validates its argument at once and throws {@link
   * IllegalArgumentException} naming the field; {@link #build()} refuses a manifest without a name,
   * one with neither an entry, services nor an application, and one with an application and an
   * entry or services. Not thread-safe.
   */
  public static final class Builder {
    private String name;
    private String entry;
    private final List<ServiceBinding> services = new ArrayList<>();
    private int productId;
    private int svn;
    private boolean debug;
    private EnclaveLimits limits = EnclaveLimits.DEFAULT;
    private HostAccess hostAccess = HostAccess.NONE;
    private Bytes initialConfig = Bytes.empty();
    private ApplicationSpec application;

    private Builder() {}

    /** The bundle name, {@code [a-z0-9][a-z0-9._-]{0,63}}. */
    public Builder name(String name) {
      Names.checkBundleName(name);
      this.name = name;
      return this;
    }

    /** The fully qualified name of the {@code TrustedApplication} class; {@code null} for none. */
    public Builder entry(String className) {
      if (className != null) {
        Names.checkClassName("entry", className);
      }
      this.entry = className;
      return this;
    }

    /** Adds a typed service; each interface at most once. */
    public Builder addService(ServiceBinding service) {
      Objects.requireNonNull(service, "service");
      for (ServiceBinding s : services) {
        if (s.interfaceName().equals(service.interfaceName())) {
          throw new IllegalArgumentException(
              "service interface " + service.interfaceName() + " is listed more than once");
        }
      }
      if (services.size() == MAX_SERVICES) {
        throw new IllegalArgumentException("at most " + MAX_SERVICES + " services");
      }
      services.add(service);
      return this;
    }

    /** Replaces the services; each interface at most once. */
    public Builder services(List<ServiceBinding> services) {
      List<ServiceBinding> copy = List.copyOf(services);
      Set<String> seen = new HashSet<>();
      for (ServiceBinding s : copy) {
        if (!seen.add(s.interfaceName())) {
          throw new IllegalArgumentException(
              "service interface " + s.interfaceName() + " is listed more than once");
        }
      }
      if (copy.size() > MAX_SERVICES) {
        throw new IllegalArgumentException("at most " + MAX_SERVICES + " services");
      }
      this.services.clear();
      this.services.addAll(copy);
      return this;
    }

    /** The product id, 0 to 65535. */
    public Builder productId(int productId) {
      checkU16("productId", productId);
      this.productId = productId;
      return this;
    }

    /** The security version number, 0 to 65535. */
    public Builder svn(int svn) {
      checkU16("svn", svn);
      this.svn = svn;
      return this;
    }

    /** Whether this is a debug build. */
    public Builder debug(boolean debug) {
      this.debug = debug;
      return this;
    }

    /** The limits; default {@link EnclaveLimits#DEFAULT}. */
    public Builder limits(EnclaveLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /** The host access; default {@link HostAccess#NONE}. */
    public Builder hostAccess(HostAccess hostAccess) {
      this.hostAccess = Objects.requireNonNull(hostAccess, "hostAccess");
      return this;
    }

    /** The initial configuration, at most {@link #MAX_INITIAL_CONFIG_BYTES}; default empty. */
    public Builder initialConfig(Bytes config) {
      Objects.requireNonNull(config, "initialConfig");
      if (config.length() > MAX_INITIAL_CONFIG_BYTES) {
        throw new IllegalArgumentException("initialConfig is " + config.length()
            + " bytes; at most " + MAX_INITIAL_CONFIG_BYTES + " are allowed");
      }
      this.initialConfig = config;
      return this;
    }

    /** The program of an application bundle; {@code null} for none (the default). */
    public Builder application(ApplicationSpec application) {
      this.application = application;
      return this;
    }

    /**
     * The manifest; refuses a missing name, neither an entry, a service nor an application, and
     * an application together with an entry or services.
     */
    public Manifest build() {
      if (name == null) {
        throw new IllegalArgumentException("name is required");
      }
      if (application != null && (entry != null || !services.isEmpty())) {
        throw new IllegalArgumentException("an application bundle runs its main class only:"
            + " it cannot also have an entry or services");
      }
      if (entry == null && services.isEmpty() && application == null) {
        throw new IllegalArgumentException("a manifest needs an entry (a TrustedApplication"
            + " class), at least one service, or an application (a main class)");
      }
      return new Manifest(this);
    }

    private static void checkU16(String field, int value) {
      if (value < 0 || value > EnclaveIdentity.MAX_U16) {
        throw new IllegalArgumentException(field + " must be 0 to 65535, got " + value);
      }
    }
  }
}
