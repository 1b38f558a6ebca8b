package dev.cella.protocol.codec.internal;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus;
import dev.cella.protocol.codec.CodecException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * How one method's failures cross. A declared checked exception crosses as the most specific
 * declared type it is an instance of, with its message; an {@link EnclaveException} crosses with
 * its code and message; anything else (unchecked exceptions, errors, undeclared checked
 * exceptions) crosses as {@code INTERNAL} with its class name only, never its message, stack or
 * cause.
 *
 * <p>Immutable and thread-safe.
 */
public final class FailureCodec {
  private static final MethodType STRING_CTOR = MethodType.methodType(void.class, String.class);
  private static final MethodType AS_THROWABLE =
      MethodType.methodType(Throwable.class, String.class);
  private static final int MAX_CLASS_NAME = 1024;

  private final String label;
  private final Class<?>[] declared; // most specific first
  private final byte[][] names;
  private final MethodHandle[] constructors; // (String)Throwable

  private FailureCodec(String label, Class<?>[] declared, MethodHandle[] constructors) {
    this.label = label;
    this.declared = declared;
    this.constructors = constructors;
    this.names = new byte[declared.length][];
    for (int i = 0; i < declared.length; i++) {
      names[i] = declared[i].getName().getBytes(StandardCharsets.UTF_8);
    }
  }

  /** The failure codec of {@code m}; refuses a declared checked exception it cannot rebuild. */
  public static FailureCodec of(Method m, String label) {
    List<Class<?>> checked = new ArrayList<>();
    for (Class<?> e : m.getExceptionTypes()) {
      if (!RuntimeException.class.isAssignableFrom(e) && !Error.class.isAssignableFrom(e)
          && !checked.contains(e)) {
        checked.add(e);
      }
    }
    checked.sort(Comparator.comparingInt(FailureCodec::depth).reversed()
        .thenComparing(Class::getName));
    Class<?>[] declared = checked.toArray(Class<?>[]::new);
    MethodHandle[] constructors = new MethodHandle[declared.length];
    for (int i = 0; i < declared.length; i++) {
      constructors[i] = constructor(declared[i]);
    }
    return new FailureCodec(label, declared, constructors);
  }

  private static int depth(Class<?> c) {
    int d = 0;
    for (Class<?> k = c; k != null; k = k.getSuperclass()) {
      d++;
    }
    return d;
  }

  private static MethodHandle constructor(Class<?> e) {
    String at = "declared exception";
    if (Modifier.isAbstract(e.getModifiers()) || !TypeDeriver.isPublic(e)) {
      throw new TypeDeriver.Refusal(e, "a declared exception must be a public, concrete class "
          + "with a public constructor " + e.getSimpleName() + "(String)", at);
    }
    try {
      return MethodHandles.publicLookup().findConstructor(e, STRING_CTOR).asType(AS_THROWABLE);
    } catch (NoSuchMethodException | IllegalAccessException x) {
      throw new TypeDeriver.Refusal(e, "a declared exception needs a public constructor "
          + e.getSimpleName() + "(String) to be rebuilt on the other side", at);
    }
  }

  /** The declared checked exceptions' binary names, sorted, for the fingerprint. */
  public List<String> declaredNames() {
    return Arrays.stream(declared).map(Class::getName).sorted().toList();
  }

  /** Writes the outcome tag and the fields of {@code failure}. */
  public void write(Writer out, Throwable failure) {
    if (failure instanceof EnclaveException e) {
      out.put(Wire.OUTCOME_ENCLAVE);
      out.putVarint(e.code().number());
      out.putString(e.getMessage() == null ? "" : e.getMessage());
      return;
    }
    if (!(failure instanceof RuntimeException) && !(failure instanceof Error)) {
      for (int i = 0; i < declared.length; i++) {
        if (declared[i].isInstance(failure)) {
          out.put(Wire.OUTCOME_DECLARED);
          out.putLengthPrefixed(names[i]);
          String message = failure.getMessage();
          if (message == null) {
            out.put(0);
          } else {
            out.put(1);
            out.putString(message);
          }
          return;
        }
      }
    }
    out.put(Wire.OUTCOME_INTERNAL);
    out.putString(failure.getClass().getName());
  }

  /** Reads the failure of outcome {@code tag} and returns the exception to throw. */
  public Throwable read(Reader in, int tag) {
    switch (tag) {
      case Wire.OUTCOME_DECLARED -> {
        int i = in.getOneOf(names, "declared exception of " + label);
        String message = in.getFlag("presence") ? in.getString("exception message") : null;
        try {
          return (Throwable) constructors[i].invokeExact(message);
        } catch (Throwable t) {
          throw new CodecException("the declared exception " + declared[i].getName()
              + " of " + label + " could not be rebuilt: its constructor threw "
              + t.getClass().getName(), t);
        }
      }
      case Wire.OUTCOME_ENCLAVE -> {
        int number = in.getVarint("status code");
        EnclaveStatus.Code code = EnclaveStatus.Code.forNumber(number);
        if (number == 0 || code.number() != number) {
          throw in.malformed("status code " + number + " is not a failure code");
        }
        return new EnclaveException(code, in.getString("status message"));
      }
      case Wire.OUTCOME_INTERNAL -> {
        String className = in.getString("exception class name");
        if (!isClassName(className)) {
          throw in.malformed("exception class name is not a Java class name");
        }
        return new EnclaveException(EnclaveStatus.Code.INTERNAL,
            label + " failed on the other side of the enclave boundary with " + className);
      }
      default -> throw in.malformed("unknown outcome tag " + tag);
    }
  }

  private static boolean isClassName(String s) {
    if (s.isEmpty() || s.length() > MAX_CLASS_NAME) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c)
          || !(Character.isJavaIdentifierPart(c) || c == '.' || c == '/')) {
        return false;
      }
    }
    return true;
  }
}
