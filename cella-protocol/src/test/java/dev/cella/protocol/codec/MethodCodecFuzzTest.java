package dev.cella.protocol.codec;

import dev.cella.testkit.AllocationBudget;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.cella.EnclaveException;
import dev.cella.protocol.codec.Fixtures.AllTypes;
import dev.cella.protocol.codec.Fixtures.KeyNotReadyException;
import dev.cella.protocol.codec.Fixtures.Signer;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzz target for the typed-call codec: byte 0 of the input picks one of the remote methods of
 * {@link AllTypes} (records, collections, optionals, enums, recursion) and {@link Signer}
 * (declared exceptions), under the default limits or under tight ones (bit 7); the rest is the
 * message. Decoding yields a value or {@link CodecException} and nothing else; what decodes
 * re-encodes to a fixed point; dispatching decoded arguments never throws and gives an outcome
 * the calling side decodes without a {@link CodecException}.
 */
class MethodCodecFuzzTest {
  /** Small enough that the fuzzer reaches the size and depth limits with short inputs. */
  static final CodecLimits TIGHT = new CodecLimits(CodecLimits.MIN_MESSAGE_BYTES, 3);
  static final List<MethodCodec> DEFAULT_METHODS = methods(CodecLimits.DEFAULT);
  static final List<MethodCodec> TIGHT_METHODS = methods(TIGHT);
  private static final Object ECHO = echo();

  /** The codec method input byte {@code selector} picks; the seed generator uses it too. */
  static MethodCodec method(int selector) {
    List<MethodCodec> methods = (selector & 0x80) != 0 ? TIGHT_METHODS : DEFAULT_METHODS;
    return methods.get((selector & 0x7F) % methods.size());
  }

  @FuzzTest
  void decode_anyMessage_givesAValueOrCodecException(byte[] input) throws Exception {
    if (input.length == 0) {
      return;
    }
    MethodCodec m = method(input[0]);
    byte[] message = Arrays.copyOfRange(input, 1, input.length);
    AllocationBudget.check(AllocationBudget.ALLOWANCE + 64L * input.length, () -> {
      argumentsDecodeOrRefuse(m, message);
      outcomeDecodesOrRefuses(m, message);
    });
  }

  private static void argumentsDecodeOrRefuse(MethodCodec m, byte[] message) {
    Object[] args;
    try {
      args = m.decodeArguments(message);
    } catch (CodecException refused) {
      return;
    }
    byte[] again = m.encodeArguments(args);
    assertThat(m.encodeArguments(m.decodeArguments(again))).as("re-encoded arguments of %s", m)
        .isEqualTo(again);
    byte[] outcome = m.dispatch(ECHO, message);
    try {
      m.decodeOutcome(outcome);
    } catch (CodecException e) {
      throw new AssertionError("dispatch of " + m + " gave an outcome its caller refuses", e);
    } catch (Throwable crossed) {
      assertCrossable(m, crossed);
    }
  }

  private static void outcomeDecodesOrRefuses(MethodCodec m, byte[] message) {
    Object result;
    try {
      result = m.decodeOutcome(message);
    } catch (CodecException refused) {
      return;
    } catch (Throwable crossed) {
      assertCrossable(m, crossed);
      byte[] again = m.encodeFailure(crossed);
      assertThat(m.encodeFailure(thrownBy(m, again))).as("re-encoded failure of %s", m)
          .isEqualTo(again);
      return;
    }
    byte[] again = m.encodeResult(result);
    assertThat(m.encodeResult(resultOf(m, again))).as("re-encoded result of %s", m)
        .isEqualTo(again);
  }

  /** What a well-formed failure outcome may throw: an EnclaveException or a declared exception. */
  private static void assertCrossable(MethodCodec m, Throwable crossed) {
    if (crossed instanceof EnclaveException) {
      return;
    }
    for (Class<?> declared : m.method().getExceptionTypes()) {
      if (declared.isInstance(crossed)) {
        return;
      }
    }
    throw new AssertionError("decodeOutcome of " + m + " threw " + crossed, crossed);
  }

  private static Object resultOf(MethodCodec m, byte[] resultOutcome) {
    try {
      return m.decodeOutcome(resultOutcome);
    } catch (Throwable t) {
      throw new AssertionError("a result outcome of " + m + " decoded as a failure", t);
    }
  }

  private static Throwable thrownBy(MethodCodec m, byte[] failureOutcome) {
    try {
      m.decodeOutcome(failureOutcome);
    } catch (Throwable t) {
      return t;
    }
    throw new AssertionError("a failure outcome of " + m + " decoded as a result");
  }

  private static List<MethodCodec> methods(CodecLimits limits) {
    List<MethodCodec> all = new ArrayList<>(ServiceCodec.of(AllTypes.class, limits).methods());
    all.addAll(ServiceCodec.of(Signer.class, limits).methods());
    return List.copyOf(all);
  }

  /**
   * An implementation of both interfaces that answers a method whose result type is its only
   * parameter's with that argument, and fails otherwise (a declared exception for {@code sign},
   * an unchecked one elsewhere), so that dispatch exercises results and every kind of failure.
   */
  private static Object echo() {
    return Proxy.newProxyInstance(MethodCodecFuzzTest.class.getClassLoader(),
        new Class<?>[] {AllTypes.class, Signer.class}, (proxy, method, args) -> {
          if (method.getReturnType() == void.class) {
            return null;
          }
          if (isEcho(method)) {
            return args[0];
          }
          return switch (method.getName()) {
            case "sign" -> throw new KeyNotReadyException("not ready");
            case "count" -> 42L;
            case "version" -> 7;
            default -> throw new IllegalStateException("no answer for " + method.getName());
          };
        });
  }

  private static boolean isEcho(Method method) {
    return method.getParameterCount() == 1
        && method.getGenericParameterTypes()[0].equals(method.getGenericReturnType());
  }
}
