package dev.cella.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.cella.EnclaveStatus.Code;
import dev.cella.protocol.codec.Fixtures.AllTypes;
import dev.cella.protocol.codec.Fixtures.Mixed;
import dev.cella.protocol.codec.Fixtures.Tree;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each rule of the decoder and the limits, one bad message at a time. */
class MalformedMessageTest {
  private static final Duration FAST = Duration.ofSeconds(5);

  private static MethodCodec m(String name) {
    return RoundTripPropertyTest.method(name);
  }

  private static void refusedArguments(String method, String hex, String reason) {
    byte[] message = HexFormat.of().parseHex(hex);
    assertThatThrownBy(() -> m(method).decodeArguments(message))
        .isExactlyInstanceOf(CodecException.class)
        .hasMessageContaining(reason)
        .satisfies(e -> assertThat(((CodecException) e).code()).isEqualTo(Code.INVALID_ARGUMENT));
  }

  @Test
  void emptyMessageAndUnknownVersion_areRefused() {
    refusedArguments("count", "", "truncated version");
    refusedArguments("count", "02", "unsupported codec version 2");
  }

  @Test
  void trailingBytes_areRefused() {
    refusedArguments("count", "0100", "1 trailing bytes");
    refusedArguments("text", "0101016100", "1 trailing bytes");
  }

  @Test
  void truncatedValues_areRefused() {
    refusedArguments("sum", "01000000", "truncated 32-bit value");
    refusedArguments("text", "010105616263", "string of 5 bytes in 3 remaining bytes");
  }

  @Test
  void hugeClaimedLengths_failFastWithoutAllocating() {
    assertTimeoutPreemptively(FAST, () -> {
      refusedArguments("pairs", "0101ffffffff07", "list of 2147483647 elements in 0 remaining");
      refusedArguments("bytes", "0101ffffffff07", "byte[] of 2147483647 bytes in 0 remaining");
      refusedArguments("counts", "0101ffffffff07" + "00".repeat(64), "map of 2147483647");
      // 16 points need 128 bytes: 127 are not enough.
      refusedArguments("pairs", "010110" + "00".repeat(127), "list of 16 elements in 127");
    });
  }

  @Test
  void varintsOutOfRangeOrNotInShortestForm_areRefused() {
    refusedArguments("text", "01018100", "not in shortest form");
    refusedArguments("text", "0101ffffffff0f", "larger than 2147483647");
  }

  @Test
  void invalidUtf8_isRefused() {
    refusedArguments("text", "010102c080", "invalid UTF-8"); // overlong NUL
    refusedArguments("text", "010103eda080", "invalid UTF-8"); // an encoded surrogate
    refusedArguments("text", "010104f4908080", "invalid UTF-8"); // above U+10FFFF
    refusedArguments("text", "010102e282", "invalid UTF-8"); // truncated sequence
    refusedArguments("text", "01010180", "invalid UTF-8"); // lone continuation byte
  }

  @Test
  void nonAsciiBytes_inEveryPositionOfTheWordWiseAsciiScan_areCheckedStrictly() {
    // The decoder scans for ASCII eight bytes at a time, then byte by byte: a bad byte in each
    // position of a 19-byte string (two words and a tail) is refused, a valid pair decodes.
    for (int at = 0; at < 19; at++) {
      byte[] bad = "abcdefghijklmnopqrs".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      bad[at] = (byte) 0x80;
      refusedArguments("text", "010113" + HexFormat.of().formatHex(bad), "invalid UTF-8");
    }
    for (int at = 0; at < 18; at++) {
      String text = "abcdefghijklmnopqr".substring(0, at) + "é" + "abcdefghijklmnopqr".substring(at);
      byte[] args = m("text").encodeArguments(new Object[] {text});
      assertThat(m("text").decodeArguments(args)).containsExactly(text);
    }
  }

  @Test
  void unknownEnumConstants_areRefused() {
    refusedArguments("color", "01010352454400", "trailing"); // RED is known: only trailing fails
    refusedArguments("color", "010103524558", "unknown constant of enum");
  }

  @Test
  void flagsOtherThanZeroOrOne_areRefused() {
    refusedArguments("text", "0102", "presence byte 2");
    refusedArguments("primitives", "0102", "boolean byte 2");
  }

  @Test
  void duplicateSetElementsAndMapKeys_areRefused() {
    refusedArguments("tags", "0101" + "02" + "0161" + "0161", "duplicate element");
    refusedArguments("counts", "0101" + "02" + "0161" + "00000001" + "0161" + "00000002",
        "duplicate key");
  }

  @Test
  void nullForAPrimitive_isRefusedOnEncode() {
    assertThatThrownBy(() -> m("sum").encodeArguments(new Object[] {null, 1}))
        .isExactlyInstanceOf(CodecException.class)
        .hasMessage("null given for the primitive type int");
    assertThatThrownBy(() -> m("count").encodeResult(null))
        .isExactlyInstanceOf(CodecException.class);
  }

  @Test
  void nullCollectionElementsAndWrongArgumentCounts_areRefusedOnEncode() {
    List<String> withNull = new ArrayList<>(Arrays.asList("a", null));
    assertThatThrownBy(() -> m("strings").encodeArguments(
            new Object[] {new Fixtures.Page<>(withNull, java.util.Optional.empty())}))
        .isExactlyInstanceOf(CodecException.class)
        .hasMessageContaining("null element");
    assertThatThrownBy(() -> m("sum").encodeArguments(new Object[] {1}))
        .isExactlyInstanceOf(CodecException.class)
        .hasMessage("AllTypes.sum(int, Integer) takes 2 arguments, 1 given");
  }

  @Test
  void unpairedSurrogates_areRefusedOnEncode() {
    assertThatThrownBy(() -> m("text").encodeArguments(new Object[] {"a\uD800b"}))
        .isExactlyInstanceOf(CodecException.class)
        .hasMessageContaining("unpaired surrogate at index 1");
    assertThatThrownBy(() -> m("text").encodeArguments(new Object[] {"\uDC00"}))
        .isExactlyInstanceOf(CodecException.class);
  }

  @Test
  void messagesOverTheSizeLimit_areRefusedOnEncodeAndDecode() {
    ServiceCodec small = ServiceCodec.of(AllTypes.class, new CodecLimits(256, 8));
    MethodCodec bytes = small.methods().stream()
        .filter(x -> x.method().getName().equals("bytes")).findFirst().orElseThrow();
    assertThat(bytes.encodeArguments(new Object[] {new byte[200]})).hasSize(204);
    assertThatThrownBy(() -> bytes.encodeArguments(new Object[] {new byte[300]}))
        .isExactlyInstanceOf(CodecException.class)
        .hasMessage("the encoded message would exceed the limit of 256 bytes");
    byte[] large = m("bytes").encodeArguments(new Object[] {new byte[300]});
    assertThatThrownBy(() -> bytes.decodeArguments(large))
        .isExactlyInstanceOf(CodecException.class)
        .hasMessage("the message has 304 bytes, more than the limit of 256");
    assertThatThrownBy(() -> bytes.decodeOutcome(large))
        .isExactlyInstanceOf(CodecException.class);
  }

  @Test
  void valuesNestedDeeperThanTheLimit_areRefusedOnEncodeAndDecode() {
    ServiceCodec shallow = ServiceCodec.of(AllTypes.class, new CodecLimits(4096, 4));
    MethodCodec tree = shallow.methods().stream()
        .filter(x -> x.method().getName().equals("tree")).findFirst().orElseThrow();
    // Tree > List > Tree: depth 3 is fine; Tree > List > Tree > List > Tree: depth 5 is not.
    Tree three = new Tree("a", List.of(new Tree("b", List.of())));
    Tree five = new Tree("a", List.of(three));
    assertThat(tree.decodeArguments(tree.encodeArguments(new Object[] {three}))).containsExactly(three);
    assertThatThrownBy(() -> tree.encodeArguments(new Object[] {five}))
        .isExactlyInstanceOf(CodecException.class)
        .hasMessageContaining("deeper than the limit of 4 levels");
    byte[] deep = m("tree").encodeArguments(new Object[] {five});
    assertThatThrownBy(() -> tree.decodeArguments(deep))
        .isExactlyInstanceOf(CodecException.class)
        .hasMessageContaining("nesting deeper than the limit of 4 levels");
  }

  @Test
  void aListThatContainsItself_failsOnTheDepthLimit() {
    List<Tree> children = new ArrayList<>();
    Tree cycle = new Tree("loop", children);
    children.add(cycle);
    assertTimeoutPreemptively(FAST, () -> assertThatThrownBy(
            () -> m("tree").encodeArguments(new Object[] {cycle}))
        .isExactlyInstanceOf(CodecException.class)
        .hasMessageContaining("deeper than the limit"));
  }

  @Test
  void decodedCollections_areUnmodifiable() {
    Mixed value = new Mixed("t", new byte[0], null, java.util.Map.of("p", new Fixtures.Point(1, 1)),
        java.util.Set.of(Fixtures.Color.RED), java.util.Optional.empty(),
        List.of(new Fixtures.Empty()));
    Mixed decoded = (Mixed) m("mixed").decodeArguments(m("mixed").encodeArguments(
        new Object[] {value}))[0];
    assertThatThrownBy(() -> decoded.empties().add(new Fixtures.Empty()))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> decoded.colors().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> decoded.points().put("q", null))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void limitsOutOfRange_areRefused() {
    assertThatThrownBy(() -> new CodecLimits(127, 4)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CodecLimits(1024, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CodecLimits(1024, 257)).isInstanceOf(IllegalArgumentException.class);
    assertThat(CodecLimits.DEFAULT).isEqualTo(new CodecLimits(16 << 20, 32));
  }

  @Test
  void decodingAnOffsetSlice_readsOnlyTheSlice() {
    byte[] inner = m("text").encodeArguments(new Object[] {"slice"});
    byte[] frame = new byte[inner.length + 6];
    System.arraycopy(inner, 0, frame, 3, inner.length);
    frame[2] = 9;
    frame[frame.length - 1] = 9;
    assertThat(m("text").decodeArguments(frame, 3, inner.length)).containsExactly("slice");
    assertThatThrownBy(() -> m("text").decodeArguments(frame, 3, inner.length + 1))
        .isExactlyInstanceOf(CodecException.class);
  }
}
