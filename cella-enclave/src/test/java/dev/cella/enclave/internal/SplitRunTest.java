package dev.cella.enclave.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cella.EnclaveException;
import dev.cella.EnclaveIdentity;
import dev.cella.EnclaveLimits;
import dev.cella.EnclaveStatus.Code;
import dev.cella.Measurement;
import dev.cella.PlatformKind;
import dev.cella.SignerId;
import dev.cella.enclave.TrustedApplication;
import dev.cella.protocol.FrameType;
import dev.cella.protocol.Frames;
import dev.cella.protocol.InitMessage;
import dev.cella.spi.FrameParts;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A {@code RUN} frame whose input came apart from its header (as the process backend's shared
 * memory delivers it) is served exactly as the whole frame would be: the application gets that
 * input array itself, its output goes back apart from the {@code OK} header, and every refusal
 * and failure is the same error frame.
 */
@Timeout(30)
class SplitRunTest {
  /** Remembers the array it was given; answers with it, or throws on "throw". */
  public static final class Keeper implements TrustedApplication {
    static volatile byte[] lastInput;

    @Override
    public byte[] run(byte[] input) {
      lastInput = input;
      if (new String(input, UTF_8).equals("throw")) {
        throw new IllegalStateException("enclave secret");
      }
      return input;
    }
  }

  private final EnclaveRuntime runtime = new EnclaveRuntime(frame -> Frames.ok(new byte[0]));

  private void initialize() {
    byte[] digest = new byte[48];
    InitMessage init = new InitMessage("split", new EnclaveIdentity(Measurement.of(digest),
        SignerId.of(digest), 0, 0, false, PlatformKind.SIM), EnclaveLimits.DEFAULT,
        Keeper.class.getName(), List.of(), new byte[0], new byte[32], new byte[32]);
    assertThat(Frames.type(runtime.apply(Frames.frame(FrameType.INITIALIZE, init.encode()))))
        .isEqualTo(FrameType.OK);
  }

  @Test
  void splitRun_givesTheApplicationTheBodyItself_andAnswersApart() {
    initialize();
    byte[] input = "payload".getBytes(UTF_8);
    FrameParts answer = runtime.apply(Frames.parts(FrameType.RUN, input));
    assertThat(Keeper.lastInput).isSameAs(input);
    assertThat(Frames.isSplit(answer, FrameType.OK)).isTrue();
    assertThat(answer.body()).isSameAs(input);
    assertThat(Frames.result(answer)).isEqualTo("payload".getBytes(UTF_8));
  }

  @Test
  void splitRun_beforeInitialize_isTheSameRefusalAsAWholeOne() {
    FrameParts answer = runtime.apply(Frames.parts(FrameType.RUN, new byte[3]));
    byte[] whole = runtime.apply(Frames.frame(FrameType.RUN, new byte[3]));
    assertThat(answer.head()).isEmpty();
    assertThat(answer.body()).isEqualTo(whole);
    assertThat(Frames.failure(answer.body()).code()).isEqualTo(Code.FAILED_PRECONDITION);
  }

  @Test
  void splitRun_whoseApplicationThrows_answersInternal_withTheClassNameOnly() {
    initialize();
    FrameParts answer = runtime.apply(Frames.parts(FrameType.RUN, "throw".getBytes(UTF_8)));
    EnclaveException failure = Frames.failure(answer.joined());
    assertThat(failure.code()).isEqualTo(Code.INTERNAL);
    assertThat(failure.getMessage()).contains("java.lang.IllegalStateException")
        .doesNotContain("enclave secret");
  }

  @Test
  void otherFramesInTwoParts_areJoined_andServedWhole() {
    initialize();
    FrameParts finish = runtime.apply(new FrameParts(Frames.header(FrameType.FINISH),
        "bye".getBytes(UTF_8)));
    assertThat(finish.head()).isEmpty();
    assertThat(Frames.type(finish.body())).isEqualTo(FrameType.OK);
    // Header bytes of another version are not a RUN frame's: joined, then refused whole.
    FrameParts odd = runtime.apply(new FrameParts(new byte[] {9, 2}, new byte[1]));
    assertThat(odd.head()).isEmpty();
    assertThat(Frames.failure(odd.body()).code()).isEqualTo(Code.INVALID_ARGUMENT);
  }
}
