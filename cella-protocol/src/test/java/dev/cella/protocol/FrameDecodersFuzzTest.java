package dev.cella.protocol;

import dev.cella.testkit.AllocationBudget;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Fuzz targets for the frame layer: whatever bytes the other side of the boundary sends, each
 * decoder returns a value or throws {@link ProtocolException}, nothing else, and what it returns
 * survives a round trip. Run over the committed corpus in every build ({@code
 * FrameDecodersFuzzTestInputs/<method>/}); fuzz one with {@code JAZZER_FUZZ=1} (docs/fuzzing.md).
 */
class FrameDecodersFuzzTest {

  @FuzzTest
  void frames_anyBytes_giveATypeOrProtocolException(byte[] frame) throws Exception {
    AllocationBudget.check(budget(frame), () -> typeAndResult(frame));
  }

  private static void typeAndResult(byte[] frame) {
    FrameType type;
    try {
      type = Frames.type(frame);
    } catch (ProtocolException refused) {
      assertThatThrownBy(() -> Frames.result(frame)).isInstanceOf(ProtocolException.class);
      return;
    }
    assertThat(frame.length).isGreaterThanOrEqualTo(Frames.HEADER);
    assertThat(type.code()).isEqualTo(frame[1] & 0xFF);
    byte[] payload = Frames.payload(frame);
    assertThat(Frames.frame(type, payload)).isEqualTo(frame);
    switch (type) {
      case OK -> assertThat(Frames.result(frame)).isEqualTo(payload);
      case ERROR -> {
        EnclaveException carried = Frames.failure(frame);
        assertThat(carried.code()).isNotEqualTo(Code.OK);
        assertThatThrownBy(() -> Frames.result(frame))
            .isInstanceOf(EnclaveException.class)
            .satisfies(t -> assertThat(((EnclaveException) t).code()).isEqualTo(carried.code()));
      }
      default -> assertThatThrownBy(() -> Frames.result(frame))
          .isInstanceOf(ProtocolException.class);
    }
  }

  /** {@link Frames#failure} is also applied to frames whose type was not checked: it never throws. */
  @FuzzTest
  void failure_anyBytes_isAFailureCode(byte[] frame) throws Exception {
    AllocationBudget.check(budget(frame), () -> failure(frame));
  }

  private static void failure(byte[] frame) {
    EnclaveException carried = Frames.failure(frame);
    assertThat(carried.code()).isNotEqualTo(Code.OK);
    if (!(carried instanceof ProtocolException) && frame.length > Frames.HEADER) {
      assertThat(carried.code().number()).isIn(frame[Frames.HEADER] & 0xFF, Code.UNKNOWN.number());
    }
  }

  /**
   * A script of reads over the rest of the input: byte 0 is the number of operations (mod 16),
   * the next ones the operations; every read returns within its limits or throws
   * ProtocolException, and the reader's position never leaves the input.
   */
  @FuzzTest
  void wireReader_anyReads_stayInBoundsOrThrowProtocolException(byte[] input) throws Exception {
    AllocationBudget.check(budget(input), () -> reads(input));
  }

  private static void reads(byte[] input) {
    if (input.length == 0) {
      return;
    }
    int count = Math.min(input[0] & 0x0F, input.length - 1);
    byte[] ops = Arrays.copyOfRange(input, 1, 1 + count);
    byte[] data = Arrays.copyOfRange(input, 1 + count, input.length);
    WireReader in = new WireReader(data);
    for (byte op : ops) {
      int before = in.position();
      int max = LIMITS[(op >>> 4) & 0x07];
      try {
        switch (op & 0x0F) {
          case 0 -> assertThat(in.u8("u8")).isBetween(0, 0xFF);
          case 1 -> assertThat(in.u16("u16")).isBetween(0, 0xFFFF);
          case 2 -> in.u32("u32");
          case 3 -> in.u64("u64");
          case 4 -> in.bool("bool");
          case 5 -> assertThat(in.raw(max, "raw")).hasSize(max);
          case 6 -> assertThat(in.bytes(max, "bytes").length).isLessThanOrEqualTo(max);
          case 7 -> assertThat(in.string(max, "string").getBytes(StandardCharsets.UTF_8).length)
              .isLessThanOrEqualTo(max);
          case 8 -> assertThat(in.rest()).hasSize(data.length - before);
          case 9 -> in.expectEnd("message");
          default -> assertThat(in.remaining()).isEqualTo(data.length - before);
        }
      } catch (ProtocolException refused) {
        // refused: fine, as long as the position stayed inside the input
      }
      assertThat(in.position()).isBetween(before, data.length);
      assertThat(in.remaining()).isEqualTo(data.length - in.position());
    }
  }

  /** What decoding {@code input} may allocate: a fixed allowance plus a multiple of its size. */
  static long budget(byte[] input) {
    return AllocationBudget.ALLOWANCE + 64L * input.length;
  }

  private static final int[] LIMITS = {0, 1, 2, 4, 16, 64, 1024, Integer.MAX_VALUE};

  @FuzzTest
  void initMessage_anyPayload_decodesOrThrowsProtocolException(byte[] payload) throws Exception {
    AllocationBudget.check(budget(payload), () -> initMessage(payload));
  }

  private static void initMessage(byte[] payload) {
    InitMessage decoded;
    try {
      decoded = InitMessage.decode(payload);
    } catch (ProtocolException refused) {
      return;
    }
    InitMessage again = InitMessage.decode(decoded.encode());
    assertThat(again.enclaveName()).isEqualTo(decoded.enclaveName());
    assertThat(again.identity()).isEqualTo(decoded.identity());
    assertThat(again.limits()).isEqualTo(decoded.limits());
    assertThat(again.entryClass()).isEqualTo(decoded.entryClass());
    assertThat(again.services()).isEqualTo(decoded.services());
    assertThat(again.config()).isEqualTo(decoded.config());
    assertThat(again.measurementSealingKey()).isEqualTo(decoded.measurementSealingKey());
    assertThat(again.signerSealingKey()).isEqualTo(decoded.signerSealingKey());
    assertThat(decoded.config().length).isLessThanOrEqualTo(decoded.limits().maxFrameBytes());
  }

  /** An INVOKE or HOST_INVOKE frame, after its header was checked as the runtimes check it. */
  @FuzzTest
  void invocation_anyFrame_decodesOrThrowsProtocolException(byte[] frame) throws Exception {
    AllocationBudget.check(budget(frame), () -> invocation(frame));
  }

  private static void invocation(byte[] frame) {
    Invocation invocation;
    try {
      invocation = Invocation.fromFrame(frame);
    } catch (ProtocolException refused) {
      return;
    }
    assertThat(frame.length).isGreaterThanOrEqualTo(Frames.HEADER);
    byte[] again = invocation.toFrame(FrameType.INVOKE);
    assertThat(Arrays.copyOfRange(again, Frames.HEADER, again.length))
        .isEqualTo(Arrays.copyOfRange(frame, Frames.HEADER, frame.length));
  }

  @FuzzTest
  void serviceBinding_anyPayload_decodesExactlyOrThrowsProtocolException(byte[] payload) throws Exception {
    AllocationBudget.check(budget(payload), () -> serviceBinding(payload));
  }

  private static void serviceBinding(byte[] payload) {
    ServiceBinding binding;
    try {
      binding = ServiceBinding.decode(payload);
    } catch (ProtocolException refused) {
      return;
    }
    assertThat(binding.fingerprint().length()).isLessThanOrEqualTo(ServiceBinding.MAX_FINGERPRINT_BYTES);
    assertThat(binding.encode()).isEqualTo(payload);
  }

  @FuzzTest
  void evidenceRequest_anyPayload_decodesExactlyOrThrowsProtocolException(byte[] payload) throws Exception {
    AllocationBudget.check(budget(payload), () -> evidenceRequest(payload));
  }

  private static void evidenceRequest(byte[] payload) {
    EvidenceRequest request;
    try {
      request = EvidenceRequest.decode(payload);
    } catch (ProtocolException refused) {
      return;
    }
    assertThat(request.encode()).isEqualTo(payload);
  }

  /**
   * The application-mode payloads: byte 0 picks the decoder (start, end, output, input request,
   * input answer), the rest is its payload; each decodes exactly (re-encodes to the same bytes)
   * or throws ProtocolException.
   */
  @FuzzTest
  void programMessages_anyPayload_decodeExactlyOrThrowProtocolException(byte[] input)
      throws Exception {
    AllocationBudget.check(budget(input), () -> programMessage(input));
  }

  private static void programMessage(byte[] input) {
    if (input.length == 0) {
      return;
    }
    byte[] payload = Arrays.copyOfRange(input, 1, input.length);
    try {
      switch ((input[0] & 0xFF) % 5) {
        case 0 -> assertThat(ProgramMessages.Start.decode(payload).encode()).isEqualTo(payload);
        case 1 -> assertThat(ProgramMessages.End.decode(payload).encode()).isEqualTo(payload);
        case 2 -> assertThat(ProgramMessages.Output.decode(payload).encode()).isEqualTo(payload);
        case 3 -> assertThat(ProgramMessages.inputRequest(
            ProgramMessages.decodeInputRequest(payload))).isEqualTo(payload);
        default -> assertThat(ProgramMessages.Input.decode(payload, 1024).encode())
            .isEqualTo(payload);
      }
    } catch (ProtocolException refused) {
      // Refused, as malformed input must be.
    }
  }
}
