package dev.cella.protocol.services;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.protocol.Invocation;
import dev.cella.protocol.ServiceBinding;
import dev.cella.protocol.codec.ServiceCodec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The serving side of typed services, the same on both sides of the boundary: implementations by
 * interface name, each with the codec derived from the serving side's own copy of the interface.
 * It answers bindings (does the peer's interface have our fingerprint?) and invocations (decode,
 * call, encode the outcome). Nothing the peer sends is trusted: an unknown service, method or
 * fingerprint is refused, and the codec checks every argument.
 *
 * <p>Immutable once built; thread-safe.
 */
public final class ServiceRegistry {
  private record Entry(ServiceCodec codec, Object implementation) {}

  private final String side;
  private final Map<String, Entry> byName;

  private ServiceRegistry(String side, Map<String, Entry> byName) {
    this.side = side;
    this.byName = Map.copyOf(byName);
  }

  /** A registry with no services. */
  public static ServiceRegistry empty(String side) {
    return new ServiceRegistry(side, Map.of());
  }

  /** A builder; {@code side} names the serving side in messages, e.g. "enclave 'signer'". */
  public static Builder builder(String side) {
    return new Builder(side);
  }

  /** Whether a service of this interface name is registered. */
  public boolean provides(String interfaceName) {
    return byName.containsKey(interfaceName);
  }

  /** Checks that the peer's copy of the interface is ours: same name, same fingerprint. */
  public void bind(ServiceBinding binding) {
    Entry entry = entry(binding.service());
    if (!entry.codec().fingerprint().equals(binding.fingerprint())) {
      throw new EnclaveException(Code.FAILED_PRECONDITION, "interface " + binding.service()
          + " differs between the two sides of the boundary (fingerprint "
          + abbreviate(binding.fingerprint().hex()) + " there, "
          + abbreviate(entry.codec().fingerprint().hex()) + " in " + side
          + "); build both with the same version of it");
    }
  }

  /** Serves one invocation and returns the encoded outcome (a result or a failure). */
  public byte[] invoke(Invocation invocation) {
    Entry entry = entry(invocation.service());
    return entry.codec().method(invocation.methodId())
        .dispatch(entry.implementation(), invocation.arguments());
  }

  private Entry entry(String name) {
    Entry entry = byName.get(name);
    if (entry == null) {
      throw new EnclaveException(Code.NOT_FOUND, side + " provides no service " + name
          + (byName.isEmpty() ? "" : " (it provides " + String.join(", ", byName.keySet()) + ")"));
    }
    return entry;
  }

  private static String abbreviate(String hex) {
    return hex.length() > 16 ? hex.substring(0, 16) + "…" : hex;
  }

  /** Builds a {@link ServiceRegistry}. Not thread-safe. */
  public static final class Builder {
    private final String side;
    private final Map<String, Entry> byName = new LinkedHashMap<>();

    private Builder(String side) {
      this.side = Objects.requireNonNull(side, "side");
    }

    /** Registers {@code implementation} for the interface of {@code codec}. */
    public Builder add(ServiceCodec codec, Object implementation) {
      if (!codec.type().isInstance(implementation)) {
        throw new IllegalArgumentException(implementation.getClass().getName()
            + " does not implement " + codec.interfaceName());
      }
      if (byName.putIfAbsent(codec.interfaceName(), new Entry(codec, implementation)) != null) {
        throw new IllegalArgumentException(codec.interfaceName() + " is registered twice");
      }
      return this;
    }

    public ServiceRegistry build() {
      return new ServiceRegistry(side, byName);
    }
  }
}
