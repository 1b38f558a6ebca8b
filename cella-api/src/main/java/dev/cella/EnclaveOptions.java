package dev.cella;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.TreeMap;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to load an enclave: which backend runs it and the configuration its {@code initialize}
 * receives. The backend is, in order: the one set here, the {@code CELLA_BACKEND} environment
 * variable, the {@code cella.backend} system property, {@code "sim"}.
 *
 * <pre>{@code
 * EnclaveOptions options = EnclaveOptions.builder().backend("process").config(bytes).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class EnclaveOptions {
  /** The backend used when nothing names one. */
  public static final String DEFAULT_BACKEND = "sim";

  private final String backend;
  private final byte[] configOrNull;
  private final Map<Class<?>, Object> hostServices;
  private final Path storageDirectoryOrNull;
  private final Map<Integer, InetSocketAddress> listenAddresses;
  private final ProgramIo programIoOrNull;

  private EnclaveOptions(Builder builder) {
    this.listenAddresses = Map.copyOf(builder.listenAddresses);
    this.programIoOrNull = builder.programIoOrNull;
    this.storageDirectoryOrNull = builder.storageDirectoryOrNull;
    this.backend = builder.backend;
    this.configOrNull = builder.configOrNull;
    this.hostServices = Map.copyOf(builder.hostServices);
  }

  /** Options that choose the backend from the environment and pass the manifest's config. */
  public static EnclaveOptions defaults() {
    return builder().build();
  }

  /** A builder with nothing set. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The backend's name: the one set on the builder, else {@code CELLA_BACKEND}, else the {@code
   * cella.backend} system property, else {@code "sim"}.
   */
  public String backend() {
    if (backend != null) {
      return backend;
    }
    String env = System.getenv("CELLA_BACKEND");
    if (env != null && !env.isBlank()) {
      return env.strip().toLowerCase(Locale.ROOT);
    }
    String property = System.getProperty("cella.backend");
    if (property != null && !property.isBlank()) {
      return property.strip().toLowerCase(Locale.ROOT);
    }
    return DEFAULT_BACKEND;
  }

  /** The configuration to initialize with instead of the manifest's, if one was set. */
  public Optional<byte[]> config() {
    return Optional.ofNullable(configOrNull).map(byte[]::clone);
  }

  /**
   * The folder where the host keeps the enclave's sealed storage (ciphertext only), if set;
   * default {@code $CELLA_HOME/storage/PLATFORM/NAME}.
   */
  public Optional<Path> storageDirectory() {
    return Optional.ofNullable(storageDirectoryOrNull);
  }

  /** The host services the enclave may call, by interface. */
  public Map<Class<?>, Object> hostServices() {
    return hostServices;
  }

  /**
   * Where the host accepts TCP connections for the manifest's listen grants, by granted port; a
   * granted port not in this map is accepted on loopback at the same port number.
   */
  public Map<Integer, InetSocketAddress> listenAddresses() {
    return listenAddresses;
  }

  /**
   * The standard streams of an application bundle's program; default {@link
   * ProgramIo#noInput()}.
   */
  public ProgramIo programIo() {
    return programIoOrNull != null ? programIoOrNull : ProgramIo.noInput();
  }

  /** Builds {@link EnclaveOptions}; each setter validates at once. Not thread-safe. */
  public static final class Builder {
    private String backend;
    private byte[] configOrNull;
    private final Map<Class<?>, Object> hostServices = new LinkedHashMap<>();
    private Path storageDirectoryOrNull;
    private final Map<Integer, InetSocketAddress> listenAddresses = new TreeMap<>();
    private ProgramIo programIoOrNull;

    /**
     * Where the host accepts TCP connections for the manifest's listen grant on {@code
     * grantedPort}, instead of loopback at that port: for example {@code new
     * InetSocketAddress("0.0.0.0", 8443)} to serve other machines, or port 0 for any free port
     * ({@link Enclave#listenAddress} tells which). Only backends that relay the enclave's network
     * (process, vm) honour it; on sim, whose enclave opens its own sockets, loading fails with
     * {@code FAILED_PRECONDITION}. A port the manifest does not grant fails the load with {@code
     * INVALID_ARGUMENT}.
     */
    public Builder listenAddress(int grantedPort, InetSocketAddress hostAddress) {
      if (grantedPort < 1 || grantedPort > 65535) {
        throw new IllegalArgumentException("granted port must be 1 to 65535, got " + grantedPort);
      }
      Objects.requireNonNull(hostAddress, "hostAddress");
      if (hostAddress.isUnresolved()) {
        throw new IllegalArgumentException("host address " + hostAddress + " is unresolved");
      }
      listenAddresses.put(grantedPort, hostAddress);
      return this;
    }

    /** The standard streams of an application bundle's program (see {@link ProgramIo}). */
    public Builder programIo(ProgramIo io) {
      this.programIoOrNull = Objects.requireNonNull(io, "io");
      return this;
    }

    /** Where the host keeps the enclave's sealed storage (see {@link #storageDirectory()}). */
    public Builder storageDirectory(Path directory) {
      this.storageDirectoryOrNull = Objects.requireNonNull(directory, "directory");
      return this;
    }

    private Builder() {}

    /** Chooses the backend by name, e.g. {@code "sim"} or {@code "process"}. */
    public Builder backend(String name) {
      Objects.requireNonNull(name, "backend");
      if (!name.matches("[a-z][a-z0-9-]{0,31}")) {
        throw new IllegalArgumentException("not a backend name: '" + name + "'");
      }
      this.backend = name;
      return this;
    }

    /** The configuration passed to the application's {@code initialize}, instead of the manifest's. */
    public Builder config(byte[] config) {
      this.configOrNull = Objects.requireNonNull(config, "config").clone();
      return this;
    }

    /**
     * Offers the enclave {@code implementation} of the {@link HostService} {@code serviceInterface};
     * enclave code reaches it through its context. The implementation is called on the threads of
     * the enclave's calls and must be thread-safe; what it returns is untrusted input to the
     * enclave.
     */
    public <T> Builder hostService(Class<T> serviceInterface, T implementation) {
      Objects.requireNonNull(serviceInterface, "serviceInterface");
      Objects.requireNonNull(implementation, "implementation");
      if (!serviceInterface.isInterface()
          || !serviceInterface.isAnnotationPresent(HostService.class)) {
        throw new IllegalArgumentException(serviceInterface.getName()
            + " must be an interface annotated @dev.cella.HostService");
      }
      if (hostServices.putIfAbsent(serviceInterface, serviceInterface.cast(implementation)) != null) {
        throw new IllegalArgumentException(serviceInterface.getName() + " is registered twice");
      }
      return this;
    }

    public EnclaveOptions build() {
      return new EnclaveOptions(this);
    }
  }
}
