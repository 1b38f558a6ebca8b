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
 * The backends found on the class path with {@link ServiceLoader}, each with its availability
 * computed once. A backend is switched off by {@code -Dcella.backend.NAME.disabled=true} or by
 * listing it in {@code CELLA_DISABLED_BACKENDS} (comma-separated); it then reports itself
 * unavailable with that reason.
 *
 * <p>Immutable and thread-safe.
 */
public final class Backends {
  private final Map<String, Entry> byName;

  private record Entry(Backend backend, BackendInfo info) {}

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
        System.getLogger(Backends.class.getName())
            .log(System.Logger.Level.WARNING, "a backend could not be loaded: " + e.getMessage());
      }
    }
    return of(found);
  }

  /** These backends, in this order of preference. */
  public static Backends of(List<Backend> backends) {
    Set<String> disabled = disabledNames();
    Map<String, Entry> byName = new LinkedHashMap<>();
    for (Backend backend : backends) {
      BackendInfo info = safeInfo(backend);
      if (info == null || byName.containsKey(info.name())) {
        continue;
      }
      if (disabled.contains(info.name()) && info.isAvailable()) {
        info = new BackendInfo(info.name(), info.platform(), info.securityLevel(), info.summary(),
            info.protectsAgainst(), info.doesNotProtectAgainst(),
            Optional.of("switched off by configuration (cella.backend." + info.name()
                + ".disabled or CELLA_DISABLED_BACKENDS)"));
      }
      byName.put(info.name(), new Entry(backend, info));
    }
    return new Backends(byName);
  }

  /** Every backend found, available or not. */
  public List<BackendInfo> infos() {
    return byName.values().stream().map(Entry::info).toList();
  }

  /** The info of the backend named {@code name}, if there is one. */
  public Optional<BackendInfo> info(String name) {
    return Optional.ofNullable(byName.get(name)).map(Entry::info);
  }

  /**
   * The backend named {@code name}, ready to launch.
   *
   * @throws EnclaveException {@code NOT_FOUND} for an unknown name, {@code UNAVAILABLE} with the
   *     reason for one that cannot run here
   */
  public Backend require(String name) {
    Entry entry = byName.get(name);
    if (entry == null) {
      throw new EnclaveException(Code.NOT_FOUND, "no backend named '" + name + "' (known: "
          + String.join(", ", byName.keySet()) + ")");
    }
    if (!entry.info().isAvailable()) {
      throw new EnclaveException(Code.UNAVAILABLE, "backend '" + name
          + "' is not available here: " + entry.info().unavailabilityCause().orElseThrow());
    }
    return entry.backend();
  }

  private static BackendInfo safeInfo(Backend backend) {
    try {
      return backend.info();
    } catch (RuntimeException | LinkageError e) {
      System.getLogger(Backends.class.getName()).log(System.Logger.Level.WARNING,
          "backend " + backend.getClass().getName() + " failed to describe itself: " + e);
      return null;
    }
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
