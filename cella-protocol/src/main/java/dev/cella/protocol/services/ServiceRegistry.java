package dev.cella.protocol.services;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.protocol.FrameType;
import dev.cella.protocol.Frames;
import dev.cella.protocol.Invocation;
import dev.cella.protocol.ServiceBinding;
import dev.cella.protocol.codec.ServiceCodec;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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

  private static final byte[] OK_HEADER = Frames.header(FrameType.OK);
  private static final VarHandle U32 =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle U64 =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private final String side;
  private final Map<String, Entry> byName;
  private final Entry[] entries;
  private final byte[][] names; // UTF-8 of each entry's interface name, for lookups in place

  private ServiceRegistry(String side, Map<String, Entry> byName) {
    this.side = side;
    this.byName = Map.copyOf(byName);
    this.entries = byName.values().toArray(Entry[]::new);
    this.names = new byte[entries.length][];
    for (int i = 0; i < entries.length; i++) {
      names[i] = entries[i].codec().interfaceName().getBytes(StandardCharsets.UTF_8);
    }
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

  /**
   * Serves the invocation an {@code INVOKE} or {@code HOST_INVOKE} frame carries and returns the
   * {@code OK} frame carrying the encoded outcome, as {@code Frames.ok(invoke(Invocation
   * .fromFrame(frame)))} does but without copying: the service name is matched and the arguments
   * decoded in place, and the outcome is written straight into its frame.
   *
   * @throws dev.cella.protocol.ProtocolException if the frame is malformed
   * @throws EnclaveException {@code NOT_FOUND} or {@code UNIMPLEMENTED} as {@link
   *     #invoke(Invocation)}
   */
  public byte[] serve(byte[] frame) {
    int nameAt = Frames.HEADER + 4;
    if (frame.length >= nameAt) {
      int nameLength = (int) U32.get(frame, Frames.HEADER);
      for (int i = 0; i < names.length; i++) {
        byte[] name = names[i];
        int argumentsAt = Invocation.argumentsOffset(name.length);
        if (name.length == nameLength && frame.length >= argumentsAt
            && Arrays.equals(frame, nameAt, nameAt + nameLength, name, 0, nameLength)) {
          Entry entry = entries[i];
          long methodId = (long) U64.get(frame, nameAt + nameLength);
          return entry.codec().method(methodId).dispatch(entry.implementation(), frame,
              argumentsAt, frame.length - argumentsAt, OK_HEADER);
        }
      }
    }
    // Not one of ours, or malformed: the full decoder says which, with its messages.
    return Frames.ok(invoke(Invocation.fromFrame(frame)));
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
