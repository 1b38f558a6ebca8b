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
import dev.cella.protocol.FrameType;
import dev.cella.protocol.Frames;
import dev.cella.protocol.InitMessage;
import dev.cella.protocol.WireWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The host side of the boundary lies: malformed answers, answers of the wrong kind, impossible
 * lengths, failures with codes that do not exist, re-entrant calls, calls out of order. The
 * enclave neither crashes nor hangs nor leaks: each lie fails the one operation that met it, with
 * an error that says so, and the enclave keeps serving.
 */
@Timeout(30)
class HostileHostTest {
  /** What the host answers to the enclave's next host call. */
  private final AtomicReference<UnaryOperator<byte[]>> host = new AtomicReference<>();
  private EnclaveRuntime runtime;

  @BeforeEach
  void start() {
    runtime = new EnclaveRuntime(frame -> host.get().apply(frame));
    byte[] digest = new byte[48];
    InitMessage init = new InitMessage("probe", new EnclaveIdentity(Measurement.of(digest),
        SignerId.of(digest), 0, 0, false, PlatformKind.SIM), EnclaveLimits.DEFAULT,
        ProbeApp.class.getName(), List.of(), new byte[0], new byte[32], new byte[32]);
    assertThat(Frames.type(runtime.apply(Frames.frame(FrameType.INITIALIZE, init.encode()))))
        .isEqualTo(FrameType.OK);
  }

  private String run(String command) {
    return new String(Frames.result(runtime.apply(Frames.frame(FrameType.RUN, command.getBytes(UTF_8)))),
        UTF_8);
  }

  private void stillServes() {
    host.set(frame -> Frames.ok(new byte[0]));
    assertThat(run("echo:alive")).isEqualTo("alive");
  }

  @Test
  void malformedAnswers_failTheHostCall_withInvalidArgument() {
    for (byte[] lie : List.of(new byte[0], new byte[] {1}, new byte[] {9, 0x10},
        new byte[] {1, (byte) 0x99}, Frames.frame(FrameType.RUN, new byte[3]))) {
      host.set(frame -> lie);
      assertThat(run("evidence")).startsWith("failed:INVALID_ARGUMENT:");
    }
    stillServes();
  }

  @Test
  void aHostThatThrowsOrAnswersNothing_isUnavailable() {
    host.set(frame -> {
      throw new IllegalStateException("host exploded");
    });
    assertThat(run("evidence")).startsWith("failed:UNAVAILABLE:").doesNotContain("exploded");
    host.set(frame -> null);
    assertThat(run("evidence")).startsWith("failed:UNAVAILABLE:");
    stillServes();
  }

  @Test
  void errorsWithImpossibleCodes_arriveAsUnknownOrRefused() {
    host.set(frame -> new byte[] {1, 0x11, (byte) 200, 'x'});
    assertThat(run("evidence")).startsWith("failed:UNKNOWN:");
    host.set(frame -> new byte[] {1, 0x11, 0, 'x'});
    assertThat(run("evidence")).startsWith("failed:INVALID_ARGUMENT:");
    stillServes();
  }

  @Test
  void storageAnswersWithImpossibleLengths_failTheFileOperation_withoutAllocatingThem() {
    // "present", then a length of 2 GiB that the frame does not hold.
    host.set(frame -> Frames.ok(new WireWriter(8).u8(1).u32(Integer.MAX_VALUE).toByteArray()));
    assertThat(run("store")).startsWith("failed:");
    // A LIST answer claiming a billion names.
    host.set(frame -> Frames.ok(new WireWriter(8).u32(1_000_000_000).toByteArray()));
    assertThat(run("store")).startsWith("failed:");
    // A counter that went backwards or is negative.
    host.set(frame -> Frames.ok(new WireWriter(8).u64(-5).toByteArray()));
    assertThat(run("store")).startsWith("failed:");
    stillServes();
  }

  @Test
  void aHostServiceAnswerOfTheWrongShape_isRefusedByTheCodec() {
    // Bind succeeds, then the "result" is bytes that are no codec outcome.
    host.set(frame -> Frames.type(frame) == FrameType.HOST_BIND ? Frames.ok(new byte[0])
        : Frames.ok(new byte[] {1, 0, 0x7f, 0x7f}));
    assertThat(run("time")).startsWith("failed:INVALID_ARGUMENT:");
    stillServes();
  }

  @Test
  void aReentrantCallDuringAHostCall_isServed() {
    host.set(frame -> {
      host.set(f -> Frames.ok(new byte[0]));
      byte[] nested = runtime.apply(Frames.frame(FrameType.RUN, "echo:nested".getBytes(UTF_8)));
      assertThat(new String(Frames.result(nested), UTF_8)).isEqualTo("nested");
      return Frames.error(Code.NOT_FOUND, "no evidence today");
    });
    assertThat(run("evidence")).isEqualTo("failed:NOT_FOUND:no evidence today");
    stillServes();
  }

  @Test
  void finishSentDuringAHostCall_endsTheEnclave_andLaterCallsAreRefused() {
    host.set(frame -> {
      runtime.apply(Frames.frame(FrameType.FINISH, new byte[0]));
      return Frames.ok(new byte[0]);
    });
    // The call in flight finishes, whatever it saw; nothing crashes.
    assertThat(runtime.apply(Frames.frame(FrameType.RUN, "store".getBytes(UTF_8)))).isNotNull();
    byte[] late = runtime.apply(Frames.frame(FrameType.RUN, "echo:x".getBytes(UTF_8)));
    assertThat(Frames.failure(late).code()).isEqualTo(Code.FAILED_PRECONDITION);
  }

  @Test
  void outOfOrderFrames_areRefused_andTheEnclaveStaysUsable() {
    byte[] again = runtime.apply(Frames.frame(FrameType.INITIALIZE, new byte[10]));
    assertThat(Frames.failure(again).code()).isEqualTo(Code.FAILED_PRECONDITION);
    for (FrameType answerType : List.of(FrameType.OK, FrameType.ERROR, FrameType.HOST_INVOKE,
        FrameType.PLATFORM_EVIDENCE)) {
      byte[] answer = runtime.apply(Frames.frame(answerType, new byte[2]));
      EnclaveException failure = Frames.failure(answer);
      assertThat(failure.code()).isEqualTo(Code.INVALID_ARGUMENT);
    }
    stillServes();
  }
}
