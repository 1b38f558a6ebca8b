package dev.cella.host;

import dev.cella.BackendInfo;
import dev.cella.Enclave;
import dev.cella.EnclaveException;
import dev.cella.EnclaveOptions;
import dev.cella.EnclaveStatus.Code;
import dev.cella.host.internal.Backends;
import dev.cella.host.internal.ChannelRouter;
import dev.cella.host.internal.EnclaveLoader;
import dev.cella.host.internal.Platforms;
import dev.cella.spi.Backend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Loads enclaves from signed bundles, keeps them by name, and destroys them: the host's entry
 * point (Asylo's {@code EnclaveManager}). Backends are found on the class path with {@link
 * java.util.ServiceLoader}; host code names one by name and does not change when the backend does.
 * The manager also wires its enclaves' channels by name ({@code EnclaveContext.connect("b", …)}
 * in one reaches {@code accept} in the enclave loaded as {@code "b"}), relaying their TLS bytes
 * without being able to read them.
 *
 * <pre>{@code
 * try (EnclaveManager manager = EnclaveManager.create()) {
 *   Enclave enclave = manager.load("signer", Path.of("signer.cella"), EnclaveOptions.defaults());
 *   byte[] out = enclave.run(input);
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class EnclaveManager implements AutoCloseable {
  private final Backends backends;
  private final Platforms platforms;
  private final EnclaveLoader loader;
  private final ConcurrentMap<String, Slot> enclaves = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private EnclaveManager(Backends backends, Platforms platforms) {
    this.backends = backends;
    this.platforms = platforms;
    this.loader = new EnclaveLoader(platforms, new ChannelRouter());
  }

  /**
   * A manager with the backends found on the class path of this class's loader, and the software
   * platforms' keys under {@code $CELLA_HOME} (default {@code ~/.cella}).
   */
  public static EnclaveManager create() {
    return new EnclaveManager(
        Backends.discover(EnclaveManager.class.getClassLoader()), Platforms.inDefaultHome());
  }

  /** A manager with exactly these backends, in this order, and platforms under {@code home}. */
  public static EnclaveManager create(List<Backend> backends, Path home) {
    return new EnclaveManager(Backends.of(backends), Platforms.in(home));
  }

  /**
   * Every backend this manager knows, available here or not, and why not. A backend not yet
   * asked about probes the machine now, once per JVM (the process backend starts a JVM in its
   * sandbox, the vm backend boots a kernel): to ask about one, use {@link #backend(String)}.
   */
  public List<BackendInfo> backends() {
    return backends.infos();
  }

  /**
   * The backend named {@code name}, available here or not, and why not; empty when no backend of
   * that name is on the class path, or when it failed to describe itself. Probes that backend
   * only.
   */
  public Optional<BackendInfo> backend(String name) {
    return backends.info(Objects.requireNonNull(name, "name"));
  }

  /** Loads the bundle at {@code bundle} under {@code name} with default options. */
  public Enclave load(String name, Path bundle) {
    return load(name, bundle, EnclaveOptions.defaults());
  }

  /**
   * Verifies the bundle, launches it on the options' backend, initializes it, and returns it
   * ready for calls.
   *
   * @throws EnclaveException {@code INVALID_ARGUMENT} for a bad name or an unreadable bundle,
   *     {@code PERMISSION_DENIED} for a bundle whose signature or contents do not verify, {@code
   *     ALREADY_EXISTS} for a name in use, {@code NOT_FOUND} / {@code UNAVAILABLE} for a backend
   *     that does not exist or cannot run here, or the application's own failure to initialize
   */
  public Enclave load(String name, Path bundle, EnclaveOptions options) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(bundle, "bundle");
    Objects.requireNonNull(options, "options");
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
      throw new EnclaveException(Code.INVALID_ARGUMENT, "enclave name '" + name
          + "' must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    if (closed) {
      throw new EnclaveException(Code.FAILED_PRECONDITION, "this enclave manager is closed");
    }
    String backendName = options.backend();
    Backend backend = backends.require(backendName);
    BackendInfo info = backends.info(backendName).orElseThrow();
    Slot slot = new Slot();
    if (enclaves.putIfAbsent(name, slot) != null) {
      throw new EnclaveException(Code.ALREADY_EXISTS, "an enclave named '" + name + "' is loaded");
    }
    try {
      Enclave enclave = loader.load(name, bundle, options, backend, info,
          () -> enclaves.remove(name, slot));
      slot.enclave = enclave;
      // close() sets closed and then closes the enclaves it sees; this sets the slot and then
      // looks at closed (both volatile), so an enclave loaded while the manager closed is closed
      // by one or the other, never left running.
      if (closed) {
        enclave.close();
        throw new EnclaveException(Code.FAILED_PRECONDITION, "this enclave manager was closed"
            + " while enclave '" + name + "' loaded");
      }
      return enclave;
    } catch (RuntimeException | Error e) {
      enclaves.remove(name, slot);
      throw e;
    }
  }

  /** The enclave loaded under {@code name}, if any. */
  public Optional<Enclave> get(String name) {
    Slot slot = enclaves.get(name);
    return slot == null ? Optional.empty() : Optional.ofNullable(slot.enclave);
  }

  /** The enclaves loaded now. */
  public List<Enclave> enclaves() {
    return enclaves.values().stream().map(slot -> slot.enclave).filter(Objects::nonNull).toList();
  }

  /** Finishes and destroys the enclave named {@code name}; does nothing if there is none. */
  public void destroy(String name) {
    get(name).ifPresent(Enclave::close);
  }

  /**
   * Destroys every enclave; later loads fail with {@code FAILED_PRECONDITION}, and so does a load
   * still under way, whose enclave is then closed. Idempotent.
   */
  @Override
  public void close() {
    closed = true;
    try {
      for (Enclave enclave : new ArrayList<>(enclaves())) {
        enclave.close();
      }
    } finally {
      platforms.close();
    }
  }

  /** A name's place in the manager: empty while its enclave loads. */
  private static final class Slot {
    private volatile Enclave enclave;
  }
}
