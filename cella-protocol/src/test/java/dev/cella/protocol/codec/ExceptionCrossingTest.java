package dev.cella.protocol.codec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.protocol.codec.Fixtures.KeyExpiredException;
import dev.cella.protocol.codec.Fixtures.KeyNotReadyException;
import dev.cella.protocol.codec.Fixtures.Signer;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.HexFormat;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Declared checked exceptions cross with type and message, EnclaveException with code and
 * message, everything else as INTERNAL with the class name only.
 */
class ExceptionCrossingTest {
  private static final String SECRET = "secret-key-material-42";
  private static final ServiceCodec CODEC = ServiceCodec.of(Signer.class, CodecLimits.DEFAULT);

  private static MethodCodec method(String name, Class<?>... params) {
    try {
      return CODEC.method(Signer.class.getMethod(name, params));
    } catch (NoSuchMethodException e) {
      throw new AssertionError(e);
    }
  }

  private static final MethodCodec SIGN = method("sign", byte[].class);
  private static final MethodCodec RISKY = method("risky");

  /** Encodes {@code failure} on one side and returns what the other side's decoder throws. */
  private static Throwable cross(MethodCodec m, Throwable failure) {
    byte[] outcome = m.encodeFailure(failure);
    return catchThrowable(() -> m.decodeOutcome(outcome));
  }

  private static boolean contains(byte[] haystack, String needle) {
    return HexFormat.of().formatHex(haystack).contains(HexFormat.of().formatHex(needle.getBytes(UTF_8)));
  }

  @Test
  void declaredCheckedException_crossesWithTypeAndMessage() {
    Throwable t = cross(SIGN, new KeyNotReadyException("no key yet"));
    assertThat(t).isExactlyInstanceOf(KeyNotReadyException.class).hasMessage("no key yet");
  }

  @Test
  void subclassOfDeclaredException_crossesAsTheMostSpecificDeclaredType() {
    assertThat(cross(SIGN, new KeyExpiredException("expired")))
        .isExactlyInstanceOf(KeyNotReadyException.class)
        .hasMessage("expired");
    assertThat(cross(SIGN, new FileNotFoundException("gone")))
        .isExactlyInstanceOf(IOException.class)
        .hasMessage("gone");
  }

  @Test
  void declaredExceptionWithoutMessage_crossesWithNullMessage() {
    assertThat(cross(SIGN, new IOException())).isExactlyInstanceOf(IOException.class)
        .hasMessage(null);
  }

  @Test
  void declaredException_crossesWithoutItsCauseOrStack() {
    KeyNotReadyException failure = new KeyNotReadyException("no key");
    failure.initCause(new IllegalStateException(SECRET));
    byte[] outcome = SIGN.encodeFailure(failure);
    assertThat(contains(outcome, SECRET)).isFalse();
    assertThat(contains(outcome, "ExceptionCrossingTest")).as("no stack frames").isFalse();
    assertThat(cross(SIGN, failure).getCause()).isNull();
  }

  @Test
  void enclaveException_crossesWithCodeAndMessage() {
    Throwable t = cross(SIGN, new EnclaveException(Code.PERMISSION_DENIED, "not allowed"));
    assertThat(t).isExactlyInstanceOf(EnclaveException.class).hasMessage("not allowed");
    assertThat(((EnclaveException) t).code()).isEqualTo(Code.PERMISSION_DENIED);
  }

  @Test
  void runtimeException_crossesAsInternal_withClassNameOnly() {
    byte[] outcome = SIGN.encodeFailure(new IllegalArgumentException(SECRET));
    assertThat(contains(outcome, SECRET)).isFalse();
    Throwable t = catchThrowable(() -> SIGN.decodeOutcome(outcome));
    assertThat(t).isExactlyInstanceOf(EnclaveException.class)
        .hasMessage("Signer.sign(byte[]) failed on the other side of the enclave boundary with "
            + "java.lang.IllegalArgumentException");
    assertThat(((EnclaveException) t).code()).isEqualTo(Code.INTERNAL);
  }

  @Test
  void errorsUndeclaredCheckedAndDeclaredUncheckedExceptions_crossAsInternal() {
    for (Throwable failure : new Throwable[] {
        new AssertionError(SECRET), new TimeoutException(SECRET), new IllegalStateException(SECRET)}) {
      MethodCodec m = failure instanceof IllegalStateException ? RISKY : SIGN;
      Throwable t = cross(m, failure);
      assertThat(t).as("%s", failure.getClass()).isExactlyInstanceOf(EnclaveException.class)
          .hasMessageEndingWith("with " + failure.getClass().getName())
          .hasMessageNotContaining(SECRET);
      assertThat(((EnclaveException) t).code()).isEqualTo(Code.INTERNAL);
    }
  }

  @Test
  void failureTooLargeForTheLimits_crossesAsAShortFailureWithItsCode() {
    ServiceCodec small = ServiceCodec.of(Signer.class, new CodecLimits(128, 4));
    MethodCodec sign = small.methods().stream()
        .filter(m -> m.method().getName().equals("sign")).findFirst().orElseThrow();
    String huge = "x".repeat(1000);
    Throwable declared = catchThrowable(() -> sign.decodeOutcome(
        sign.encodeFailure(new KeyNotReadyException(huge))));
    assertThat(declared).isExactlyInstanceOf(EnclaveException.class)
        .hasMessage("the failure's message could not be encoded");
    assertThat(((EnclaveException) declared).code()).isEqualTo(Code.INTERNAL);
    Throwable coded = catchThrowable(() -> sign.decodeOutcome(
        sign.encodeFailure(new EnclaveException(Code.NOT_FOUND, huge))));
    assertThat(((EnclaveException) coded).code()).isEqualTo(Code.NOT_FOUND);
  }

  @Test
  void outcomeNamingAnUndeclaredException_isRefused() {
    byte[] name = "java.lang.Exception".getBytes(UTF_8);
    byte[] outcome = new byte[3 + name.length + 1];
    outcome[0] = 1;
    outcome[1] = 1; // declared exception
    outcome[2] = (byte) name.length;
    System.arraycopy(name, 0, outcome, 3, name.length);
    assertThatThrownBy(() -> SIGN.decodeOutcome(outcome))
        .isExactlyInstanceOf(CodecException.class)
        .hasMessageContaining("unknown declared exception of Signer.sign(byte[])");
  }

  @Test
  void outcomeWithANonFailureStatusCode_isRefused() {
    assertThatThrownBy(() -> SIGN.decodeOutcome(new byte[] {1, 2, 0, 0}))
        .isExactlyInstanceOf(CodecException.class).hasMessageContaining("not a failure code");
    assertThatThrownBy(() -> SIGN.decodeOutcome(new byte[] {1, 2, 99, 0}))
        .isExactlyInstanceOf(CodecException.class).hasMessageContaining("not a failure code");
  }

  @Test
  void internalOutcomeWithAControlCharacterInTheClassName_isRefused() {
    byte[] outcome = {1, 3, 3, 'a', '\n', 'b'};
    assertThatThrownBy(() -> SIGN.decodeOutcome(outcome))
        .isExactlyInstanceOf(CodecException.class).hasMessageContaining("not a Java class name");
  }

  @Test
  void dispatch_returnsTheResultOrTheCrossedFailure() throws Throwable {
    Signer ok = new TestSigner(null);
    byte[] args = SIGN.encodeArguments(new Object[] {new byte[] {1, 2}});
    assertThat((byte[]) SIGN.decodeOutcome(SIGN.dispatch(ok, args))).containsExactly(2, 1);

    Signer notReady = new TestSigner(new KeyNotReadyException("later"));
    assertThatThrownBy(() -> SIGN.decodeOutcome(SIGN.dispatch(notReady, args)))
        .isExactlyInstanceOf(KeyNotReadyException.class).hasMessage("later");

    Signer broken = new TestSigner(new IllegalStateException(SECRET));
    byte[] outcome = SIGN.dispatch(broken, args);
    assertThat(contains(outcome, SECRET)).isFalse();
    assertThatThrownBy(() -> SIGN.decodeOutcome(outcome))
        .isExactlyInstanceOf(EnclaveException.class)
        .hasMessageEndingWith("java.lang.IllegalStateException");

    MethodCodec version = method("version");
    assertThat(version.decodeOutcome(version.dispatch(ok, version.encodeArguments(null))))
        .isEqualTo(7);
  }

  @Test
  void dispatch_withMalformedArguments_returnsAnInvalidArgumentFailure() {
    byte[] outcome = SIGN.dispatch(new TestSigner(null), new byte[] {1, 1, 5, 0});
    Throwable t = catchThrowable(() -> SIGN.decodeOutcome(outcome));
    assertThat(t).isExactlyInstanceOf(EnclaveException.class).hasMessageContaining("byte[] of 5 bytes in 1 remaining bytes");
    assertThat(((EnclaveException) t).code()).isEqualTo(Code.INVALID_ARGUMENT);
  }

  @Test
  void dispatch_toAnObjectThatIsNotAnImplementation_isRefused() {
    assertThatThrownBy(() -> SIGN.dispatch("not a signer", new byte[] {1, 0}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Reverses the message, or throws the given failure. */
  private record TestSigner(Exception failureOrNull) implements Signer {
    @Override
    public byte[] sign(byte[] message) throws KeyNotReadyException, IOException {
      if (failureOrNull instanceof KeyNotReadyException k) {
        throw k;
      }
      if (failureOrNull instanceof RuntimeException r) {
        throw r;
      }
      byte[] reversed = new byte[message.length];
      for (int i = 0; i < message.length; i++) {
        reversed[i] = message[message.length - 1 - i];
      }
      return reversed;
    }

    @Override
    public void risky() {}

    @Override
    public int version() {
      return 7;
    }
  }
}
