package dev.cella.protocol.codec.internal;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.HashMap;
import java.util.Map;

/**
 * The bindings of type variables while a codec is derived: a generic record's parameters bound
 * to the codecs of its type arguments, or an interface's inherited type parameters bound to the
 * types its declaration gives them ({@code interface Names extends Repository<String>}).
 *
 * <p>Immutable once built; used by one derivation at a time.
 */
public final class TypeEnv {
  private static final TypeEnv EMPTY = new TypeEnv(Map.of());

  /** Each variable's binding: a {@link ValueCodec}, or a {@link Type} resolved in this env. */
  private final Map<TypeVariable<?>, Object> bindings;

  private TypeEnv(Map<TypeVariable<?>, Object> bindings) {
    this.bindings = bindings;
  }

  static TypeEnv of(TypeVariable<?>[] variables, ValueCodec[] codecs) {
    if (variables.length == 0) {
      return EMPTY;
    }
    Map<TypeVariable<?>, Object> bindings = new HashMap<>();
    for (int i = 0; i < variables.length; i++) {
      bindings.put(variables[i], codecs[i]);
    }
    return new TypeEnv(bindings);
  }

  /**
   * The bindings that {@code iface}'s declaration gives to the type parameters of all its
   * superinterfaces, transitively. Its own type parameters stay unbound.
   */
  public static TypeEnv ofInterface(Class<?> iface) {
    Map<TypeVariable<?>, Object> bindings = new HashMap<>();
    collect(iface, bindings);
    return bindings.isEmpty() ? EMPTY : new TypeEnv(bindings);
  }

  private static void collect(Class<?> type, Map<TypeVariable<?>, Object> bindings) {
    for (Type s : type.getGenericInterfaces()) {
      if (s instanceof ParameterizedType p) {
        Class<?> raw = (Class<?>) p.getRawType();
        TypeVariable<?>[] variables = raw.getTypeParameters();
        Type[] args = p.getActualTypeArguments();
        for (int i = 0; i < variables.length; i++) {
          bindings.put(variables[i], args[i]);
        }
        collect(raw, bindings);
      } else if (s instanceof Class<?> c) {
        collect(c, bindings);
      }
    }
  }

  ValueCodec resolve(TypeVariable<?> variable, TypeDeriver deriver, String at) {
    Object bound = bindings.get(variable);
    if (bound instanceof ValueCodec codec) {
      return codec;
    }
    if (bound instanceof Type type) {
      return deriver.codec(type, this, at);
    }
    return null;
  }
}
