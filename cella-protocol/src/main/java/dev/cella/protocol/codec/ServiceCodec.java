package dev.cella.protocol.codec;

import dev.cella.Bytes;
import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus;
import dev.cella.protocol.codec.internal.FailureCodec;
import dev.cella.protocol.codec.internal.Schema;
import dev.cella.protocol.codec.internal.Signatures;
import dev.cella.protocol.codec.internal.Slot;
import dev.cella.protocol.codec.internal.TypeDeriver;
import dev.cella.protocol.codec.internal.TypeEnv;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The typed-call codec of one service interface, derived once from its method signatures: one
 * {@link MethodCodec} per remote method, a stable id per method and a fingerprint of the whole
 * interface. Host and enclave each derive it from their own copy of the interface (loaded by
 * different class loaders); ids and fingerprint are computed from names and structure only, so
 * they agree exactly when the two copies agree.
 *
 * <pre>{@code
 * ServiceCodec codec = ServiceCodec.of(SignerService.class, CodecLimits.of(manifest.limits()));
 * if (!codec.fingerprint().equals(peerFingerprint)) { ... refuse: other interface version ... }
 * MethodCodec sign = codec.method(SignerService.class.getMethod("sign", byte[].class));
 * }</pre>
 *
 * <p><b>Remote methods</b> are the abstract methods of the interface, its own and inherited ones
 * ({@code equals}, {@code hashCode} and {@code toString} excepted). Static methods are not part of
 * it, and default methods run locally on the calling side (a proxy invokes them directly; they
 * may call remote methods).
 *
 * <p><b>Supported types</b>: primitives and their boxes, {@code String}, {@code byte[]}, enums (by
 * constant name), public records of supported types (nested, generic ones with their type
 * arguments resolved, recursive ones too: depth is bounded by the limits), and {@code List},
 * {@code Set}, {@code Map} and {@code Optional} of supported types, with {@code ? extends X}
 * wildcards read as {@code X}. {@code null} may stand for any reference type, but not inside a
 * collection or an optional. Decoded collections are unmodifiable and keep the wire order. Any
 * other type fails derivation with an {@link UnsupportedTypeException} naming the method and the
 * type; so does a declared checked exception without a public {@code (String)} constructor. The
 * interface and its records must be public (with public enclosing classes, in exported packages):
 * the codec looks up accessors and canonical constructors with the public lookup only, and never
 * loads a class by a name it read.
 *
 * <p>Immutable and thread-safe.
 */
public final class ServiceCodec {
  private static final String SUPPORTED = "supported: primitives and their boxes, String, "
      + "byte[], enums, public records, and List, Set, Map and Optional of supported types";

  private final Class<?> type;
  private final CodecLimits limits;
  private final List<MethodCodec> methods;
  // Open addressing by id (ids are hashes already), at most half full: one probe, typically.
  private final long[] idTable;
  private final MethodCodec[] codecTable;
  private final Map<Method, MethodCodec> byMethod;
  private final String schema;
  private final Bytes fingerprint;

  private ServiceCodec(Class<?> type, CodecLimits limits, List<MethodCodec> methods,
      Map<Method, MethodCodec> byMethod, String schema) {
    this.type = type;
    this.limits = limits;
    this.methods = List.copyOf(methods);
    this.byMethod = Map.copyOf(byMethod);
    int size = Integer.highestOneBit(Math.max(1, methods.size()) * 2) * 2;
    this.idTable = new long[size];
    this.codecTable = new MethodCodec[size];
    for (MethodCodec m : methods) {
      int i = slot(m.id());
      while (codecTable[i] != null) {
        i = (i + 1) & (size - 1);
      }
      idTable[i] = m.id();
      codecTable[i] = m;
    }
    this.schema = schema;
    this.fingerprint = Bytes.of(Signatures.sha256(schema));
  }

  /**
   * Derives the codec of {@code iface} under {@code limits}.
   *
   * @throws UnsupportedTypeException if the interface is not a public interface, or a remote
   *     method uses a type that cannot cross the boundary
   */
  public static ServiceCodec of(Class<?> iface, CodecLimits limits) {
    if (!iface.isInterface() || iface.isAnnotation() || !TypeDeriver.isPublic(iface)) {
      throw new UnsupportedTypeException(iface.getName() + " cannot be a service: it must be a "
          + "public interface, in public enclosing classes and an exported package");
    }
    TypeDeriver deriver = new TypeDeriver();
    TypeEnv env = TypeEnv.ofInterface(iface);
    Schema schema = new Schema(iface);
    List<MethodCodec> methods = new ArrayList<>();
    Map<Method, MethodCodec> byMethod = new HashMap<>();
    for (List<Method> group : remoteMethodGroups(iface)) {
      Method m = group.getFirst();
      MethodCodec codec = derive(iface, m, deriver, env, limits, schema);
      methods.add(codec);
      group.forEach(g -> byMethod.put(g, codec));
    }
    long[] ids = methods.stream().mapToLong(MethodCodec::id).sorted().toArray();
    for (int i = 1; i < ids.length; i++) {
      if (ids[i] == ids[i - 1]) {
        throw new UnsupportedTypeException(iface.getSimpleName() + " has two methods whose "
            + "signatures hash to the same id " + Long.toHexString(ids[i]) + "; rename one");
      }
    }
    return new ServiceCodec(iface, limits, methods, byMethod, schema.text());
  }

  /**
   * The abstract methods by canonical name and parameters, each group led by the method with the
   * most specific result (a covariant override), sorted by canonical signature.
   */
  private static List<List<Method>> remoteMethodGroups(Class<?> iface) {
    Map<String, List<Method>> groups = new LinkedHashMap<>();
    Method[] all = allAbstractMethods(iface);
    Arrays.sort(all, Comparator.comparing(Signatures::canonical)
        .thenComparing(m -> m.getDeclaringClass().getName()));
    for (Method m : all) {
      String key = m.getName() + Arrays.toString(m.getParameterTypes());
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(m);
    }
    List<List<Method>> result = new ArrayList<>();
    for (List<Method> group : groups.values()) {
      Method lead = group.stream()
          .filter(c -> group.stream()
              .allMatch(o -> o.getReturnType().isAssignableFrom(c.getReturnType())))
          .findFirst()
          .orElseThrow(() -> new UnsupportedTypeException(Signatures.label(iface, group.getFirst())
              + " is inherited with incompatible result types"));
      List<Method> ordered = new ArrayList<>(List.of(lead));
      group.stream().filter(m -> m != lead).forEach(ordered::add);
      result.add(ordered);
    }
    result.sort(Comparator.comparing(g -> Signatures.canonical(g.getFirst())));
    return result;
  }

  /**
   * The public abstract methods of {@code iface} and of all its superinterfaces, overridden ones
   * included (a caller may hold a superinterface's {@link Method}), but not those of Object.
   */
  private static Method[] allAbstractMethods(Class<?> iface) {
    Set<Method> methods = new LinkedHashSet<>();
    ArrayDeque<Class<?>> pending = new ArrayDeque<>(List.of(iface));
    while (!pending.isEmpty()) {
      Class<?> type = pending.removeFirst();
      for (Method m : type.getMethods()) {
        if (Modifier.isAbstract(m.getModifiers()) && !isObjectMethod(m)) {
          methods.add(m);
        }
      }
      pending.addAll(List.of(type.getInterfaces()));
    }
    return methods.toArray(Method[]::new);
  }

  private static boolean isObjectMethod(Method m) {
    return switch (m.getName()) {
      case "equals" -> m.getParameterCount() == 1 && m.getParameterTypes()[0] == Object.class;
      case "hashCode", "toString" -> m.getParameterCount() == 0;
      default -> false;
    };
  }

  private static MethodCodec derive(Class<?> iface, Method m, TypeDeriver deriver, TypeEnv env,
      CodecLimits limits, Schema schema) {
    String label = Signatures.label(iface, m);
    try {
      Type[] generic = m.getGenericParameterTypes();
      Slot[] parameters = new Slot[generic.length];
      for (int i = 0; i < generic.length; i++) {
        parameters[i] = deriver.slot(generic[i], env, "parameter " + (i + 1));
      }
      Slot result = m.getReturnType() == void.class
          ? null : deriver.slot(m.getGenericReturnType(), env, "result");
      FailureCodec failures = FailureCodec.of(m, label);
      String signature = Signatures.canonical(m);
      long id = Signatures.id(signature);
      schema.addMethod(signature, id, parameters, result, failures.declaredNames());
      return new MethodCodec(id, signature, label, m, parameters, result, failures, limits,
          invoker(m));
    } catch (TypeDeriver.Refusal r) {
      throw new UnsupportedTypeException(label + ": type " + r.typeName()
          + " cannot cross the enclave boundary: " + r.reason() + " (at " + r.at() + "; "
          + SUPPORTED + ")");
    }
  }

  private static MethodHandle invoker(Method m) {
    try {
      return MethodHandles.publicLookup().unreflect(m)
          .asType(MethodType.genericMethodType(m.getParameterCount() + 1));
    } catch (IllegalAccessException e) {
      throw new UnsupportedTypeException(m.getDeclaringClass().getName() + "." + m.getName()
          + " is not accessible to the codec: " + e.getMessage());
    }
  }

  /** The interface this codec was derived from (this side's copy). */
  public Class<?> type() {
    return type;
  }

  /** The interface's binary name, the same on both sides. */
  public String interfaceName() {
    return type.getName();
  }

  /** The limits every message of this codec is held to. */
  public CodecLimits limits() {
    return limits;
  }

  /**
   * SHA-256 of the {@linkplain #schema() schema}: equal on both sides exactly when their copies of
   * the interface have the same methods, ids, types, record components and enum constants.
   */
  public Bytes fingerprint() {
    return fingerprint;
  }

  /**
   * The canonical text the fingerprint is computed from: one line per method and per reachable
   * record and enum, sorted. Not secret; log or diff it to explain a fingerprint mismatch.
   */
  public String schema() {
    return schema;
  }

  /** The remote methods, sorted by canonical signature. */
  public List<MethodCodec> methods() {
    return methods;
  }

  /**
   * The codec of {@code method}, an abstract method of the interface or of one of its
   * superinterfaces (as a proxy's invocation handler receives it).
   *
   * @throws IllegalArgumentException if it is not a remote method of this interface
   */
  public MethodCodec method(Method method) {
    MethodCodec codec = byMethod.get(method);
    if (codec == null) {
      throw new IllegalArgumentException(method + " is not a remote method of " + type.getName());
    }
    return codec;
  }

  /**
   * The codec of the method with id {@code id}.
   *
   * @throws EnclaveException {@code UNIMPLEMENTED} if the interface has no such method (the other
   *     side uses another version of it)
   */
  public MethodCodec method(long id) {
    int mask = codecTable.length - 1;
    for (int i = slot(id); codecTable[i] != null; i = (i + 1) & mask) {
      if (idTable[i] == id) {
        return codecTable[i];
      }
    }
    throw new EnclaveException(EnclaveStatus.Code.UNIMPLEMENTED, type.getName()
        + " has no method with id " + Long.toHexString(id)
        + "; do both sides use the same version of the interface?");
  }

  private int slot(long id) {
    return (int) (id ^ (id >>> 32)) & (codecTable.length - 1);
  }

  @Override
  public String toString() {
    return "ServiceCodec[" + type.getName() + ", " + methods.size() + " methods]";
  }
}
