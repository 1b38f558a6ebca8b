package dev.cella.enclave.internal;

import dev.cella.testkit.AllocationBudget;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.cella.EnclaveIdentity;
import dev.cella.EnclaveLimits;
import dev.cella.Measurement;
import dev.cella.PlatformKind;
import dev.cella.SignerId;
import dev.cella.protocol.FrameType;
import dev.cella.protocol.Frames;
import dev.cella.protocol.InitMessage;
import dev.cella.protocol.ProtocolException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fuzz target for the enclave end of the boundary: a script of frames from a host that may lie,
 * around one valid {@code INITIALIZE} of {@link FuzzEnclave}. Every frame gets a well-formed
 * response frame ({@code OK} or {@code ERROR} with a failure code), {@link EnclaveRuntime#apply}
 * never throws, the valid {@code INITIALIZE} succeeds unless another came first, at most one
 * succeeds, nothing but an {@code INITIALIZE} succeeds before one has and nothing after a {@code
 * FINISH} has, and every frame the enclave sends the host is well-formed.
 *
 * <p>Input: byte 0 says where the valid {@code INITIALIZE} goes among the frames; then records of
 * {@code [u16 header][bytes]}, at most {@value #MAX_RECORDS}: a header with bit 15 clear is a frame
 * for the enclave of that length, with bit 15 set an answer of the host (length in the low bits)
 * to the enclave's next call out. When the host's answers run out it answers {@code null}.
 */
class EnclaveRuntimeFuzzTest {
  static final int MAX_RECORDS = 32;
  /** Small frames, so that the fuzzer reaches the size limits with short inputs. */
  static final EnclaveLimits LIMITS = new EnclaveLimits(16, 1, EnclaveLimits.MIN_FRAME_BYTES, 4);
  static final InitMessage INIT = new InitMessage("fuzz", identity(), LIMITS,
      FuzzEnclave.App.class.getName(),
      List.of(new InitMessage.ServiceEntry(FuzzEnclave.Service.class.getName(),
          FuzzEnclave.ServiceImpl.class.getName())),
      new byte[] {1}, new byte[32], new byte[32]);
  static final byte[] VALID_INITIALIZE = Frames.frame(FrameType.INITIALIZE, INIT.encode());

  @FuzzTest
  void framesAroundAValidInitialize_eachGetAResponseFrame(byte[] input) throws Exception {
    Script script = Script.parse(input);
    AllocationBudget.check(AllocationBudget.ALLOWANCE + 64L * input.length, () -> run(script));
  }

  private static void run(Script script) {
    ArrayDeque<byte[]> answers = new ArrayDeque<>(script.hostAnswers());
    List<String> malformedRequests = new ArrayList<>();
    EnclaveRuntime runtime = new EnclaveRuntime(request -> {
      if (typeOrNull(request) == null) {
        malformedRequests.add(Arrays.toString(request));
      }
      return answers.pollFirst();
    });
    boolean initialized = false;
    boolean sawInitialize = false;
    boolean finished = false;
    for (byte[] frame : script.frames()) {
      byte[] response = runtime.apply(frame);
      assertThat(response).as("response to a frame").isNotNull();
      FrameType type = Frames.type(response);
      assertThat(type).isIn(FrameType.OK, FrameType.ERROR);
      boolean isInitialize = typeOrNull(frame) == FrameType.INITIALIZE;
      if (frame == VALID_INITIALIZE && !sawInitialize) {
        assertThat(type).as("the first INITIALIZE, a valid one, after junk").isEqualTo(FrameType.OK);
      }
      sawInitialize |= isInitialize;
      if (type == FrameType.ERROR) {
        assertThat(Frames.failure(response)).as("a well-formed error frame")
            .isNotInstanceOf(ProtocolException.class);
        continue;
      }
      assertThat(isInitialize && initialized).as("a second INITIALIZE succeeded").isFalse();
      assertThat(isInitialize || initialized).as("a request succeeded before INITIALIZE").isTrue();
      assertThat(finished).as("a request succeeded after FINISH").isFalse();
      initialized |= isInitialize;
      finished = typeOrNull(frame) == FrameType.FINISH;
    }
    assertThat(malformedRequests).as("malformed frames the enclave sent the host").isEmpty();
  }

  /**
   * The seeds still do what they are for: each request reaches the code it is meant to reach. (A
   * typed call's failure is an OK frame carrying a failure outcome, so those answer "OK".)
   */
  @Test
  void seeds_reachTheRuntimeAsIntended() throws Exception {
    assertThat(outcomes("seed-lifecycle")).containsExactly("FAILED_PRECONDITION", "OK", "OK",
        "OK", "OK", "OK", "OK", "FAILED_PRECONDITION");
    assertThat(outcomes("seed-host-calls")).containsExactly("OK", "OK", "OK", "OK",
        "UNAVAILABLE", "INVALID_ARGUMENT", "UNAVAILABLE");
    assertThat(outcomes("seed-failures")).containsExactly("OK", "INTERNAL", "ABORTED", "INTERNAL",
        "RESOURCE_EXHAUSTED", "OK", "OK", "OK", "UNIMPLEMENTED", "NOT_FOUND",
        "FAILED_PRECONDITION", "FAILED_PRECONDITION", "INVALID_ARGUMENT", "INVALID_ARGUMENT",
        "INVALID_ARGUMENT", "INVALID_ARGUMENT");
    assertThat(outcomes("seed-other-initialize")).containsExactly("OK", "FAILED_PRECONDITION",
        "UNIMPLEMENTED");
    assertThat(outcomes("seed-failed-initialize")).containsExactly("FAILED_PRECONDITION",
        "FAILED_PRECONDITION", "FAILED_PRECONDITION");
  }

  /** The code of each response to the frames of a seed, "OK" for success. */
  private static List<String> outcomes(String seed) throws Exception {
    byte[] input;
    try (var in = EnclaveRuntimeFuzzTest.class.getResourceAsStream(
        "EnclaveRuntimeFuzzTestInputs/framesAroundAValidInitialize_eachGetAResponseFrame/" + seed)) {
      assertThat(in).as(seed).isNotNull();
      input = in.readAllBytes();
    }
    Script script = Script.parse(input);
    ArrayDeque<byte[]> answers = new ArrayDeque<>(script.hostAnswers());
    EnclaveRuntime runtime = new EnclaveRuntime(request -> answers.pollFirst());
    List<String> outcomes = new ArrayList<>();
    for (byte[] frame : script.frames()) {
      byte[] response = runtime.apply(frame);
      outcomes.add(Frames.type(response) == FrameType.OK ? "OK"
          : Frames.failure(response).code().name());
    }
    return outcomes;
  }

  private static FrameType typeOrNull(byte[] frame) {
    try {
      return Frames.type(frame);
    } catch (ProtocolException e) {
      return null;
    }
  }

  private static EnclaveIdentity identity() {
    byte[] digest = new byte[48];
    Arrays.fill(digest, (byte) 0x42);
    return new EnclaveIdentity(Measurement.of(digest), SignerId.of(digest), 1, 1, true,
        PlatformKind.SIM);
  }

  /** A parsed input: the frames for the enclave (the valid INITIALIZE among them), the host's answers. */
  record Script(List<byte[]> frames, List<byte[]> hostAnswers) {
    static Script parse(byte[] input) {
      List<byte[]> frames = new ArrayList<>();
      List<byte[]> answers = new ArrayList<>();
      int at = 1;
      for (int records = 0; records < MAX_RECORDS && at + 2 <= input.length; records++) {
        int header = ((input[at] & 0xFF) << 8) | (input[at + 1] & 0xFF);
        int length = Math.min(header & 0x7FFF, input.length - at - 2);
        byte[] bytes = Arrays.copyOfRange(input, at + 2, at + 2 + length);
        ((header & 0x8000) != 0 ? answers : frames).add(bytes);
        at += 2 + length;
      }
      int initAt = input.length == 0 ? 0 : (input[0] & 0xFF) % (frames.size() + 1);
      frames.add(initAt, VALID_INITIALIZE);
      return new Script(frames, answers);
    }

    /** Builds inputs in this format, for the seeds. */
    static final class Builder {
      private final ByteArrayOutputStream out = new ByteArrayOutputStream();

      Builder(int initAt) {
        out.write(initAt);
      }

      Builder frame(byte[] frame) {
        return record(frame, 0);
      }

      Builder hostAnswer(byte[] frame) {
        return record(frame, 0x8000);
      }

      private Builder record(byte[] bytes, int flag) {
        if (bytes.length > 0x7FFF) {
          throw new IllegalArgumentException("a record holds at most 32767 bytes");
        }
        int header = flag | bytes.length;
        out.write(header >>> 8);
        out.write(header & 0xFF);
        out.writeBytes(bytes);
        return this;
      }

      byte[] build() {
        return out.toByteArray();
      }
    }
  }
}
