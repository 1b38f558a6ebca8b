package dev.cella.host.internal;

import dev.cella.BackendInfo;
import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.spi.Backend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The backends found on the class path with {@link ServiceLoader}, found by {@link
 * Backend#name()} and each described ({@link Backend#info()}, with its availability) once, when
 * first wanted: loading an enclave on it, or listing every backend. A host that only ever uses
 * {@code sim} thus never starts the {@code process} backend's sandbox probe or boots the {@code
 * vm} backend's KVM probe. A backend is switched off by {@code -Dcella.backend.NAME.disabled=true}
 * or by listing it in {@code CELLA_DISABLED_BACKENDS} (comma-separated); it then reports itself
 * unavailable with that reason.
 *
 * <p>Thread-safe.
 */
public final class Backends {
  private static final System.Logger LOG = System.getLogger(Backends.class.getName());

  private final Map<String, Entry> byName;

  /** A backend and, once asked for, its description; empty when it failed to describe itself. */
  private static final class Entry {
    final String name;
    final Backend backend;
    final boolean disabled;
    private volatile Optional<BackendInfo> info;

    Entry(String name, Backend backend, boolean disabled) {
      this.name = name;
      this.backend = backend;
      this.disabled = disabled;
    }

    Optional<BackendInfo> info() {
      Optional<BackendInfo> known = info;
      if (known == null) {
        synchronized (this) {
          known = info;
          if (known == null) {
            known = Optional.ofNullable(describe());
            info = known;
          }
        }
      }
      return known;
    }

    private BackendInfo describe() {
      BackendInfo described;
      // The probe runs in whichever thread first wants the backend (a load, perhaps on a pool
      // thread being cancelled) and its answer is kept for the JVM: an interrupt already pending
      // would make it "unavailable" for good, so it waits until the probe is done.
      boolean interrupted = Thread.interrupted();
      try {
        described = backend.info();
      } catch (RuntimeException | LinkageError e) {
        LOG.log(System.Logger.Level.WARNING, "backend " + backend.getClass().getName()
            + " failed to describe itself: " + e);
        return null;
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
      if (described == null || !described.name().equals(name)) {
        LOG.log(System.Logger.Level.WARNING, "backend " + backend.getClass().getName()
            + " is named '" + name + "' but describes itself as "
            + (described == null ? "nothing" : "'" + described.name() + "'") + "; left out");
        return null;
      }
      if (disabled && described.isAvailable()) {
        return new BackendInfo(described.name(), described.platform(),
            described.securityLevel(), described.summary(), described.protectsAgainst(),
            described.doesNotProtectAgainst(),
            Optional.of(switchedOff(name)));
      }
      return described;
    }
  }

  private Backends(Map<String, Entry> byName) {
    this.byName = Collections.unmodifiableMap(byName);
  }

  /** The backends on the class path of {@code loader}. Never throws. */
  public static Backends discover(ClassLoader loader) {
    List<Backend> found = new ArrayList<>();
    ServiceLoader<Backend> services = ServiceLoader.load(Backend.class, loader);
    var iterator = services.iterator();
    while (true) {
      try {
        if (!iterator.hasNext()) {
          break;
        }
        found.add(iterator.next());
      } catch (ServiceConfigurationError e) {
        LOG.log(System.Logger.Level.WARNING, "a backend could not be loaded: " + e.getMessage());
      }
    }
    return of(found);
  }

  /**
   * These backends, in this order of preference; of two with one name, the first. Asks each for
   * its {@link Backend#name()} only.
   */
  public static Backends of(List<Backend> backends) {
    Set<String> disabled = disabledNames();
    Map<String, Entry> byName = new LinkedHashMap<>();
    for (Backend backend : backends) {
      String name;
      try {
        name = backend.name();
      } catch (RuntimeException | LinkageError e) {
        LOG.log(System.Logger.Level.WARNING, "backend " + backend.getClass().getName()
            + " failed to name itself: " + e);
        continue;
      }
      if (name == null || byName.containsKey(name)) {
        continue;
      }
      byName.put(name, new Entry(name, backend, disabled.contains(name)));
    }
    return new Backends(byName);
  }

  /** Every backend found that describes itself, available or not; describes each not yet asked. */
  public List<BackendInfo> infos() {
    return byName.values().stream().map(Entry::info).flatMap(Optional::stream).toList();
  }

  /** The info of the backend named {@code name}, if there is one that describes itself. */
  public Optional<BackendInfo> info(String name) {
    Entry entry = byName.get(name);
    return entry == null ? Optional.empty() : entry.info();
  }

  /**
   * The backend named {@code name}, ready to launch.
   *
   * @throws EnclaveException {@code NOT_FOUND} for an unknown name, {@code UNAVAILABLE} with the
   *     reason for one that cannot run here, failed to describe itself, or is switched off (that
   *     one without asking it to describe itself)
   */
  public Backend require(String name) {
    Entry entry = byName.get(name);
    if (entry == null) {
      throw new EnclaveException(Code.NOT_FOUND, "no backend named '" + name + "' (known: "
          + String.join(", ", byName.keySet()) + ")");
    }
    if (entry.disabled) {
      // Refused before the probe: a backend switched off is not wanted, however slow its probe.
      throw new EnclaveException(Code.UNAVAILABLE, "backend '" + name
          + "' is not available here: " + switchedOff(name));
    }
    BackendInfo info = entry.info().orElseThrow(() -> new EnclaveException(Code.UNAVAILABLE,
        "backend '" + name + "' failed to describe itself (see the log), so it is not used"));
    if (!info.isAvailable()) {
      throw new EnclaveException(Code.UNAVAILABLE, "backend '" + name
          + "' is not available here: " + info.unavailabilityCause().orElseThrow());
    }
    return entry.backend;
  }

  private static String switchedOff(String name) {
    return "switched off by configuration (cella.backend." + name
        + ".disabled or CELLA_DISABLED_BACKENDS)";
  }

  private static Set<String> disabledNames() {
    String env = System.getenv("CELLA_DISABLED_BACKENDS");
    Set<String> names = env == null ? Set.of() : Arrays.stream(env.split(","))
        .map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    Set<String> all = new java.util.HashSet<>(names);
    System.getProperties().stringPropertyNames().stream()
        .filter(k -> k.startsWith("cella.backend.") && k.endsWith(".disabled"))
        .filter(k -> Boolean.parseBoolean(System.getProperty(k)))
        .map(k -> k.substring("cella.backend.".length(), k.length() - ".disabled".length()))
        .forEach(all::add);
    return all;
  }
}
