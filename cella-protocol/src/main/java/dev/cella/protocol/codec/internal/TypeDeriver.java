package dev.cella.protocol.codec.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Derives the codec of a declared Java type, once, from the {@link Type} objects reflection gives
 * for a method's signature: type arguments are resolved from the declaration (a {@code Page<T>}
 * used as {@code Page<String>} gets a {@code List<String>} component), records are looked up by
 * their resolved descriptor so that a record may contain itself, and every unsupported type is
 * refused with a {@link Refusal} that says why and where.
 *
 * <p>Only public records (with public enclosing classes, in exported packages) are supported:
 * their accessors and canonical constructors are looked up with {@link
 * MethodHandles#publicLookup()}, so the codec can reach nothing that any other code could not.
 * Nothing is ever loaded by name.
 *
 * <p>One deriver per {@code ServiceCodec}; not thread-safe.
 */
public final class TypeDeriver {
  /** The most records whose derivation may be in progress at once (nested generic expansion). */
  static final int MAX_RECORD_NESTING = 64;

  private final Map<String, RecordCodec> records = new HashMap<>();
  private final Map<Class<?>, EnumCodec> enums = new HashMap<>();
  private int recordsInProgress;

  /** A type that cannot cross: the type's name, why, and where it sits in the signature. */
  public static final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String typeName;
    private final String reason;
    private final String at;

    Refusal(Type type, String reason, String at) {
      super(type.getTypeName() + ": " + reason + " (at " + at + ")", null, false, false);
      this.typeName = type.getTypeName();
      this.reason = reason;
      this.at = at;
    }

    public String typeName() {
      return typeName;
    }

    public String reason() {
      return reason;
    }

    public String at() {
      return at;
    }
  }

  /**
   * The slot for a parameter, result or component of declared type {@code type}, with the type
   * variables of {@code env} resolved.
   */
  public Slot slot(Type type, TypeEnv env, String at) {
    if (type instanceof Class<?> c && c.isPrimitive()) {
      if (c == void.class) {
        throw new Refusal(c, "void is only a result type", at);
      }
      return new Slot(ScalarCodecs.forClassOrNull(c), c);
    }
    return new Slot(codec(type, env, at), null);
  }

  ValueCodec codec(Type type, TypeEnv env, String at) {
    return switch (type) {
      case Class<?> c -> forClass(c, at);
      case ParameterizedType p -> forParameterized(p, env, at);
      case WildcardType w -> {
        if (w.getLowerBounds().length > 0) {
          throw new Refusal(w, "a '? super' wildcard has no type to decode to; name the type", at);
        }
        Type upper = w.getUpperBounds()[0];
        if (upper == Object.class) {
          throw new Refusal(w, "an unbounded wildcard has no type to decode to; name the type", at);
        }
        yield codec(upper, env, at);
      }
      case TypeVariable<?> v -> {
        ValueCodec bound = env.resolve(v, this, at);
        if (bound == null) {
          throw new Refusal(v, "the type variable " + v.getName() + " is not resolved by the "
              + "interface (generic methods and unbound type parameters cannot cross)", at);
        }
        yield bound;
      }
      case GenericArrayType g ->
          throw new Refusal(g, "arrays other than byte[] are not supported; use a List", at);
      default -> throw new Refusal(type, "not a supported type", at);
    };
  }

  private ValueCodec forClass(Class<?> c, String at) {
    ValueCodec scalar = ScalarCodecs.forClassOrNull(c);
    if (scalar != null && !c.isPrimitive()) {
      return scalar;
    }
    if (c.isPrimitive()) {
      throw new Refusal(c, "a primitive cannot be a type argument", at); // unreachable via javac
    }
    if (c.isArray()) {
      throw new Refusal(c, "arrays other than byte[] are not supported; use a List", at);
    }
    if (c == List.class || c == Set.class || c == Map.class || c == Optional.class) {
      throw new Refusal(c, "a raw type; give its type arguments", at);
    }
    if (c.isEnum()) {
      return enums.computeIfAbsent(c, EnumCodec::new);
    }
    if (c.isRecord()) {
      if (c.getTypeParameters().length > 0) {
        throw new Refusal(c, "a raw type; give its type arguments", at);
      }
      return record(c, new ValueCodec[0], at);
    }
    throw new Refusal(c, "not a supported type", at);
  }

  private ValueCodec forParameterized(ParameterizedType p, TypeEnv env, String at) {
    Class<?> raw = (Class<?>) p.getRawType();
    Type[] args = p.getActualTypeArguments();
    if (raw == List.class) {
      return new ListCodec(codec(args[0], env, at + " > element"));
    }
    if (raw == Optional.class) {
      return new OptionalCodec(codec(args[0], env, at + " > value"));
    }
    if (raw == Set.class) {
      return new SetCodec(hashable(codec(args[0], env, at + " > element"), p, at));
    }
    if (raw == Map.class) {
      ValueCodec key = hashable(codec(args[0], env, at + " > key"), p, at);
      return new MapCodec(key, codec(args[1], env, at + " > value"));
    }
    if (raw.isRecord()) {
      ValueCodec[] resolved = new ValueCodec[args.length];
      for (int i = 0; i < args.length; i++) {
        resolved[i] = codec(args[i], env, at + " > type argument " + (i + 1));
      }
      return record(raw, resolved, at);
    }
    throw new Refusal(p, "not a supported type", at);
  }

  private static ValueCodec hashable(ValueCodec codec, Type container, String at) {
    if (codec.descriptor().equals("byte[]")) {
      throw new Refusal(container, "byte[] compares by identity, so it cannot be a Set element "
          + "or a Map key; use a List<Byte> or a record", at);
    }
    return codec;
  }

  private ValueCodec record(Class<?> c, ValueCodec[] typeArgs, String at) {
    StringBuilder key = new StringBuilder(c.getName());
    for (int i = 0; i < typeArgs.length; i++) {
      key.append(i == 0 ? '<' : ',').append(typeArgs[i].descriptor());
    }
    String descriptor = typeArgs.length == 0 ? key.toString() : key.append('>').toString();
    RecordCodec known = records.get(descriptor);
    if (known != null) {
      return known;
    }
    if (!isPublic(c)) {
      throw new Refusal(c, "a record must be public, in public enclosing classes and an exported "
          + "package, so that the codec can construct it", at);
    }
    if (recordsInProgress >= MAX_RECORD_NESTING) {
      throw new Refusal(c, "records nest more than " + MAX_RECORD_NESTING + " deep in their "
          + "declarations (a generic record that expands without end?)", at);
    }
    RecordCodec codec = new RecordCodec(c, descriptor);
    records.put(descriptor, codec);
    recordsInProgress++;
    try {
      TypeEnv env = TypeEnv.of(c.getTypeParameters(), typeArgs);
      RecordComponent[] rcs = c.getRecordComponents();
      String[] names = new String[rcs.length];
      Slot[] slots = new Slot[rcs.length];
      MethodHandle[] accessors = new MethodHandle[rcs.length];
      Class<?>[] erased = new Class<?>[rcs.length];
      for (int i = 0; i < rcs.length; i++) {
        names[i] = rcs[i].getName();
        erased[i] = rcs[i].getType();
        slots[i] = slot(rcs[i].getGenericType(), env,
            at + " > component " + c.getSimpleName() + "." + names[i]);
        accessors[i] = Access.accessor(rcs[i], at);
      }
      codec.complete(names, slots, accessors, Access.canonicalConstructor(c, erased, at));
      return codec;
    } finally {
      recordsInProgress--;
    }
  }

  /**
   * Whether {@code c} is accessible to any code: public, in public enclosing classes, in a package
   * its module exports to everyone.
   */
  public static boolean isPublic(Class<?> c) {
    for (Class<?> k = c; k != null; k = k.getDeclaringClass()) {
      if (!Modifier.isPublic(k.getModifiers())) {
        return false;
      }
    }
    return c.getModule().isExported(c.getPackageName());
  }

  /** The method handles the codec needs, looked up with the public lookup only. */
  static final class Access {
    private static final MethodHandles.Lookup LOOKUP = MethodHandles.publicLookup();

    static MethodHandle accessor(RecordComponent rc, String at) {
      try {
        return LOOKUP.unreflect(rc.getAccessor())
            .asType(MethodType.methodType(Object.class, Object.class));
      } catch (IllegalAccessException e) {
        throw new Refusal(rc.getDeclaringRecord(),
            "the accessor " + rc.getName() + "() is not accessible: " + e.getMessage(), at);
      }
    }

    static MethodHandle canonicalConstructor(Class<?> c, Class<?>[] erased, String at) {
      try {
        Constructor<?> ctor = c.getDeclaredConstructor(erased);
        return LOOKUP.unreflectConstructor(ctor).asType(MethodType.genericMethodType(erased.length));
      } catch (NoSuchMethodException | IllegalAccessException e) {
        throw new Refusal(c, "the canonical constructor is not accessible: " + e.getMessage(), at);
      }
    }
  }
}
