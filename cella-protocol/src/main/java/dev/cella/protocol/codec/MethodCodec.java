package dev.cella.protocol.codec;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus;
import dev.cella.protocol.codec.internal.CallShape;
import dev.cella.protocol.codec.internal.FailureCodec;
import dev.cella.protocol.codec.internal.Reader;
import dev.cella.protocol.codec.internal.Slot;
import dev.cella.protocol.codec.internal.Wire;
import dev.cella.protocol.codec.internal.Writer;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.Objects;

/**
 * The codec of one remote method of a {@link ServiceCodec}: it turns the call's arguments into an
 * <em>arguments message</em> and back, and the call's result or failure into an <em>outcome
 * message</em> and back. It knows nothing of frames or transports.
 *
 * <p>The calling side (a proxy's invocation handler):
 *
 * <pre>{@code
 * MethodCodec m = codec.method(method);
 * byte[] reply = transport.call(m.id(), m.encodeArguments(args));
 * return m.decodeOutcome(reply); // the result, or throws the declared exception / EnclaveException
 * }</pre>
 *
 * <p>The implementing side (a dispatcher), in one step or by hand:
 *
 * <pre>{@code
 * byte[] reply = codec.method(id).dispatch(implementation, argumentsMessage); // never throws
 * // or: Object[] args = m.decodeArguments(bytes); ... m.encodeResult(r) / m.encodeFailure(t)
 * }</pre>
 *
 * <p>Every decoding method throws {@link CodecException} and nothing else for bad input, whatever
 * the bytes. Thread-safe and immutable (an internal buffer-size hint adapts racily and harmlessly).
 */
public final class MethodCodec {
  private static final Object[] NO_ARGUMENTS = {};
  private static final byte[] NO_PREFIX = {};
  private static final MethodHandle SERVE_IN_PLACE;

  static {
    try {
      SERVE_IN_PLACE = MethodHandles.lookup().findVirtual(MethodCodec.class, "serveInPlace",
          MethodType.methodType(byte[].class, Object.class, byte[].class, int.class, int.class,
              byte[].class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Size hints never start a buffer larger than this, whatever the last message was. */
  private static final int MAX_HINT = 8 << 10;

  private final long id;
  private final String signature;
  private final String label;
  private final Method method;
  private final Slot[] parameters;
  private final Slot resultOrNull;
  private final FailureCodec failures;
  private final CodecLimits limits;
  private final MethodHandle invoker; // (Object, Object[])Object
  private final CallShape shapeOrNull; // generated: decode and call without an argument array
  private final MethodHandle serving; // serveInPlace bound to this codec; see dispatch
  private int argumentsHint = 32;
  private int outcomeHint = 32;

  MethodCodec(long id, String signature, String label, Method method, Slot[] parameters,
      Slot resultOrNull, FailureCodec failures, CodecLimits limits, MethodHandle target) {
    this.id = id;
    this.signature = signature;
    this.label = label;
    this.method = method;
    this.parameters = parameters;
    this.resultOrNull = resultOrNull;
    this.failures = failures;
    this.limits = limits;
    // target: (Object implementation, Object... arguments)Object
    this.invoker = target.asSpreader(1, Object[].class, parameters.length);
    this.shapeOrNull = parameters.length <= CallShape.MAX_PARAMETERS
        ? CallShape.generate(target, parameters) : null;
    this.serving = SERVE_IN_PLACE.bindTo(this);
  }

  /** The method's id: derived from its canonical signature, the same on both sides. */
  public long id() {
    return id;
  }

  /** The canonical signature, e.g. {@code sign(byte[],java.lang.String)com.example.Signature}. */
  public String signature() {
    return signature;
  }

  /** This side's method of the interface. */
  public Method method() {
    return method;
  }

  @Override
  public String toString() {
    return label;
  }

  /**
   * Encodes the arguments of a call ({@code null} for none, as a proxy passes them).
   *
   * @throws CodecException if an argument cannot be encoded (null for a primitive, a null element,
   *     an unpaired surrogate) or the message would pass the limits
   */
  public byte[] encodeArguments(Object[] args) {
    return encodeArguments(NO_PREFIX, args);
  }

  /**
   * Encodes the arguments of a call after {@code prefix} (the header of the frame that carries
   * them, which the limits do not count): the arguments message written straight into its frame.
   *
   * @throws CodecException as {@link #encodeArguments(Object[])}
   */
  public byte[] encodeArguments(byte[] prefix, Object[] args) {
    int count = args == null ? 0 : args.length;
    if (count != parameters.length) {
      throw new CodecException(
          label + " takes " + parameters.length + " arguments, " + count + " given");
    }
    Writer out = new Writer(limits, argumentsHint, prefix);
    out.put(Wire.VERSION);
    for (int i = 0; i < count; i++) {
      parameters[i].write(out, args[i], 0);
    }
    argumentsHint = Math.min(out.size(), MAX_HINT);
    return out.toByteArray();
  }

  /** Decodes an arguments message; primitives come boxed. */
  public Object[] decodeArguments(byte[] message) {
    return decodeArguments(message, 0, message.length);
  }

  /** Decodes the arguments message in {@code message[offset, offset + length)}. */
  public Object[] decodeArguments(byte[] message, int offset, int length) {
    Reader in = new Reader(message, offset, length, limits);
    try {
      readVersion(in);
      Object[] args = parameters.length == 0 ? NO_ARGUMENTS : new Object[parameters.length];
      for (int i = 0; i < args.length; i++) {
        args[i] = parameters[i].read(in, 0);
      }
      in.finish();
      return args;
    } catch (RuntimeException | StackOverflowError e) {
      throw asCodecException(e);
    }
  }

  /**
   * Encodes a successful outcome with {@code result} ({@code null} for a {@code void} method).
   *
   * @throws CodecException if the result cannot be encoded or would pass the limits
   */
  public byte[] encodeResult(Object result) {
    return encodeResult(NO_PREFIX, result);
  }

  private byte[] encodeResult(byte[] prefix, Object result) {
    Writer out = new Writer(limits, outcomeHint, prefix);
    out.put(Wire.VERSION);
    out.put(Wire.OUTCOME_RESULT);
    if (resultOrNull != null) {
      resultOrNull.write(out, result, 0);
    } else if (result != null) {
      throw new CodecException(label + " is void but a result was given");
    }
    outcomeHint = Math.min(out.size(), MAX_HINT);
    return out.toByteArray();
  }

  /**
   * Encodes a failed outcome. A declared checked exception keeps its type and message, an {@link
   * EnclaveException} its code and message; anything else becomes {@code INTERNAL} with the
   * exception's class name only. Never throws: a failure whose message cannot be encoded (too
   * large for the limits, an unpaired surrogate) is replaced by a short one with its code.
   */
  public byte[] encodeFailure(Throwable failure) {
    return encodeFailure(NO_PREFIX, failure);
  }

  private byte[] encodeFailure(byte[] prefix, Throwable failure) {
    Objects.requireNonNull(failure, "failure");
    try {
      Writer out = new Writer(limits, 64, prefix);
      out.put(Wire.VERSION);
      failures.write(out, failure);
      return out.toByteArray();
    } catch (CodecException e) {
      EnclaveStatus.Code code =
          failure instanceof EnclaveException x ? x.code() : EnclaveStatus.Code.INTERNAL;
      Writer out = new Writer(limits, 96, prefix);
      out.put(Wire.VERSION);
      failures.write(out, new EnclaveException(code, "the failure's message could not be encoded"));
      return out.toByteArray();
    }
  }

  /** Decodes an outcome message: returns the result or throws the failure. */
  public Object decodeOutcome(byte[] message) throws Throwable {
    return decodeOutcome(message, 0, message.length);
  }

  /**
   * Decodes the outcome message in {@code message[offset, offset + length)}: returns the result
   * (boxed for a primitive, {@code null} for {@code void}), or throws the failure.
   *
   * @throws CodecException if the message is malformed or passes the limits
   * @throws EnclaveException the other side's {@code EnclaveException} (code and message), or
   *     {@code INTERNAL} naming the class of any other exception the other side threw
   * @throws Exception a new instance of the declared checked exception the other side threw,
   *     with its message
   */
  public Object decodeOutcome(byte[] message, int offset, int length) throws Throwable {
    Reader in = new Reader(message, offset, length, limits);
    Throwable failure;
    try {
      readVersion(in);
      int tag = in.get("outcome tag");
      if (tag == Wire.OUTCOME_RESULT) {
        Object result = resultOrNull == null ? null : resultOrNull.read(in, 0);
        in.finish();
        return result;
      }
      failure = failures.read(in, tag);
      in.finish();
    } catch (RuntimeException | StackOverflowError e) {
      throw asCodecException(e);
    }
    throw failure;
  }

  /**
   * Serves one call on the implementing side: decodes {@code arguments}, calls the method on
   * {@code implementation}, and returns the encoded outcome. Never throws for anything the
   * arguments or the implementation do: a malformed arguments message gives an {@code
   * INVALID_ARGUMENT} failure outcome, a result that cannot be encoded likewise. No lock is held.
   *
   * @throws IllegalArgumentException if {@code implementation} does not implement the interface
   */
  public byte[] dispatch(Object implementation, byte[] arguments) {
    return dispatch(implementation, arguments, 0, arguments.length, NO_PREFIX);
  }

  /**
   * Serves one call as {@link #dispatch(Object, byte[])} does, from the arguments message in
   * {@code message[offset, offset + length)} (inside the frame that carried it), and returns
   * {@code outcomePrefix} followed by the encoded outcome (the frame that carries it back).
   */
  public byte[] dispatch(Object implementation, byte[] message, int offset, int length,
      byte[] outcomePrefix) {
    // Through a method handle held in a field, which the JIT cannot see through: the serving code
    // is compiled on its own, from its first level, wherever the call comes from. Inlined into
    // its caller instead, it sat at the end of the enclave runtime's deep call chain, past which
    // the JIT stops inlining (MaxInlineLevel), so that whether the reads, the record's code and
    // the result's write were inlined depended on which method happened to be compiled first:
    // typed calls took 150 to 400 ns from one JVM to the next. See docs/architecture.md.
    try {
      return (byte[]) serving.invokeExact(implementation, message, offset, length, outcomePrefix);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new AssertionError("serving threw a checked exception", t);
    }
  }

  private byte[] serveInPlace(Object implementation, byte[] message, int offset, int length,
      byte[] outcomePrefix) {
    if (!method.getDeclaringClass().isInstance(implementation)) {
      throw new IllegalArgumentException(implementation.getClass().getName()
          + " does not implement " + method.getDeclaringClass().getName());
    }
    Object result;
    if (shapeOrNull != null) {
      Reader in = new Reader(message, offset, length, limits);
      try {
        readVersion(in);
        result = shapeOrNull.call(implementation, in);
      } catch (CallShape.ImplementationFailure f) {
        return encodeFailure(outcomePrefix, f.getCause());
      } catch (RuntimeException | StackOverflowError e) {
        return encodeFailure(outcomePrefix, asCodecException(e));
      }
    } else {
      Object[] args;
      try {
        args = decodeArguments(message, offset, length);
      } catch (CodecException e) {
        return encodeFailure(outcomePrefix, e);
      }
      try {
        result = (Object) invoker.invokeExact(implementation, args);
      } catch (Throwable t) {
        return encodeFailure(outcomePrefix, t);
      }
    }
    try {
      return encodeResult(outcomePrefix, result);
    } catch (RuntimeException e) {
      // A CodecException crosses as INVALID_ARGUMENT; anything else (a user collection that
      // failed while it was iterated) as INTERNAL.
      return encodeFailure(outcomePrefix, e);
    }
  }

  private static void readVersion(Reader in) {
    int version = in.get("version");
    if (version != Wire.VERSION) {
      throw new CodecException("unsupported codec version " + version + "; this side speaks "
          + Wire.VERSION);
    }
  }

  private CodecException asCodecException(Throwable e) {
    if (e instanceof CodecException c) {
      return c;
    }
    return new CodecException(
        "malformed message for " + label + ": decoding failed with " + e.getClass().getName(), e);
  }
}
