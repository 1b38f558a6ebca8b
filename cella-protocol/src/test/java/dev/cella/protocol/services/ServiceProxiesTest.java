package dev.cella.protocol.services;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.protocol.FrameType;
import dev.cella.protocol.Frames;
import dev.cella.protocol.codec.CodecLimits;
import dev.cella.protocol.codec.Fixtures.KeyNotReadyException;
import dev.cella.protocol.codec.Fixtures.Signer;
import dev.cella.protocol.codec.ServiceCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The calling side's proxy over a loopback transport (the serving registry itself): results,
 * failures and the transport's own exceptions reach the caller as they would across the
 * boundary, through the method handle the proxy calls the transport with.
 */
class ServiceProxiesTest {
  private static final ServiceCodec CODEC = ServiceCodec.of(Signer.class, CodecLimits.DEFAULT);

  /** Signs by prefixing "signed:"; refuses an empty message with its declared exception. */
  private static final class PrefixSigner implements Signer {
    @Override
    public byte[] sign(byte[] message) throws KeyNotReadyException {
      if (message.length == 0) {
        throw new KeyNotReadyException("no key for an empty message");
      }
      byte[] prefix = "signed:".getBytes(UTF_8);
      byte[] out = new byte[prefix.length + message.length];
      System.arraycopy(prefix, 0, out, 0, prefix.length);
      System.arraycopy(message, 0, out, prefix.length, message.length);
      return out;
    }

    @Override
    public void risky() {
      throw new IllegalStateException("enclave detail that must not cross");
    }

    @Override
    public int version() {
      return 7;
    }
  }

  private static final ServiceRegistry REGISTRY =
      ServiceRegistry.builder("test").add(CODEC, new PrefixSigner()).build();

  private static Signer proxy(UnaryOperator<byte[]> transport) {
    return ServiceProxies.create(Signer.class, CODEC, FrameType.INVOKE, transport, "Signer in test");
  }

  @Test
  void call_throughLoopbackRegistry_returnsTheImplementationsResult() throws Exception {
    Signer signer = proxy(REGISTRY::serve);

    assertThat(new String(signer.sign("abc".getBytes(UTF_8)), UTF_8)).isEqualTo("signed:abc");
    assertThat(signer.version()).isEqualTo(7);
  }

  @Test
  void call_whenTheTransportThrows_throwsTheSameException() {
    EnclaveException gone = new EnclaveException(Code.UNAVAILABLE, "the enclave has crashed");
    Signer signer = proxy(frame -> {
      throw gone;
    });

    assertThat(catchThrowable(signer::version)).isSameAs(gone);
  }

  @Test
  void call_whenTheTransportThrowsAnError_throwsTheSameError() {
    StackOverflowError deep = new StackOverflowError("the transport ran out of stack");
    Signer signer = proxy(frame -> {
      throw deep;
    });

    assertThat(catchThrowable(signer::version)).isSameAs(deep);
  }

  @Test
  void call_whenTheTransportThrowsACheckedExceptionTheMethodDeclares_throwsTheSameException() {
    KeyNotReadyException checked = new KeyNotReadyException("thrown by the transport itself");
    Signer signer = proxy(frame -> ServiceProxiesTest.<RuntimeException>sneaky(checked));

    assertThat(catchThrowable(() -> signer.sign(new byte[] {1}))).isSameAs(checked);
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> byte[] sneaky(Throwable t) throws T {
    throw (T) t;
  }

  @Test
  void call_whenTheTransportAnswersAnErrorFrame_throwsItsCodeAndMessage() {
    Signer signer = proxy(frame -> Frames.error(Code.RESOURCE_EXHAUSTED, "too many calls"));

    assertThatThrownBy(signer::version).isInstanceOfSatisfying(EnclaveException.class, e -> {
      assertThat(e.code()).isEqualTo(Code.RESOURCE_EXHAUSTED);
      assertThat(e.getMessage()).contains("too many calls");
    });
  }

  @Test
  void call_withDeclaredCheckedFailure_throwsItsTypeAndMessage() {
    Signer signer = proxy(REGISTRY::serve);

    assertThatThrownBy(() -> signer.sign(new byte[0]))
        .isInstanceOf(KeyNotReadyException.class)
        .hasMessage("no key for an empty message");
  }

  @Test
  void call_withUndeclaredFailure_isInternalNamingTheClassOnly() {
    Signer signer = proxy(REGISTRY::serve);

    Throwable thrown = catchThrowable(signer::risky);

    assertThat(thrown).isInstanceOfSatisfying(EnclaveException.class,
        e -> assertThat(e.code()).isEqualTo(Code.INTERNAL));
    assertThat(thrown.getMessage()).contains(IllegalStateException.class.getName())
        .doesNotContain("enclave detail");
  }

  @Test
  void defaultMethod_runsOnTheCallingSide_andCallsRemoteMethodsRemotely() {
    AtomicInteger frames = new AtomicInteger();
    Signer signer = proxy(frame -> {
      frames.incrementAndGet();
      return REGISTRY.serve(frame);
    });

    assertThat(signer.describe()).isEqualTo("signer v7");
    assertThat(frames).hasValue(1); // version() crossed, describe() did not
  }

  @Test
  void objectMethods_areTheProxysOwn_andSendNoFrame() {
    AtomicInteger frames = new AtomicInteger();
    Signer signer = proxy(frame -> {
      frames.incrementAndGet();
      return REGISTRY.serve(frame);
    });
    Signer other = proxy(REGISTRY::serve);

    assertThat(signer.equals(signer)).isTrue();
    assertThat(signer.equals(other)).isFalse();
    assertThat(signer.hashCode()).isEqualTo(System.identityHashCode(signer));
    assertThat(signer.toString()).isEqualTo("Signer in test");
    assertThat(frames).hasValue(0);
  }

  @Test
  void calls_fromManyThreadsAtOnce_eachGetTheirOwnResult() throws Exception {
    Signer signer = proxy(REGISTRY::serve);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        String message = "m" + i;
        results.add(pool.submit(() -> new String(signer.sign(message.getBytes(UTF_8)), UTF_8)));
      }
      for (int i = 0; i < results.size(); i++) {
        assertThat(results.get(i).get(10, TimeUnit.SECONDS)).isEqualTo("signed:m" + i);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void create_withTheCodecOfAnotherInterface_isRefused() {
    assertThatThrownBy(() -> ServiceProxies.create(Runnable.class, CODEC, FrameType.INVOKE,
        REGISTRY::serve, "wrong"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(Signer.class.getName());
  }
}
