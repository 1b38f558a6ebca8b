package dev.cella.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.protocol.codec.Fixtures.Color;
import dev.cella.protocol.codec.Fixtures.KeyNotReadyException;
import dev.cella.protocol.codec.Fixtures.Page;
import dev.cella.protocol.codec.Fixtures.Point;
import dev.cella.protocol.codec.Fixtures.Signer;
import dev.cella.protocol.codec.Fixtures.Tree;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Pins the wire format of docs/codec-format.md with vectors worked out by hand from that
 * document: a change here is a change of the format, which needs a new version byte.
 */
class WireFormatTest {
  private static final HexFormat HEX = HexFormat.of();

  private static String arguments(String method, Object... args) {
    return HEX.formatHex(RoundTripPropertyTest.method(method).encodeArguments(args));
  }

  private static String result(String method, Object result) {
    return HEX.formatHex(RoundTripPropertyTest.method(method).encodeResult(result));
  }

  @Test
  void scalarsAndNulls_encodeAsDocumented() {
    assertThat(arguments("text", "hé")).isEqualTo("01" + "01" + "03" + "68c3a9");
    assertThat(arguments("text", (Object) null)).isEqualTo("01" + "00");
    assertThat(arguments("sum", -2, null)).isEqualTo("01" + "fffffffe" + "00");
    assertThat(arguments("sum", 1, 5)).isEqualTo("01" + "00000001" + "01" + "00000005");
    assertThat(arguments("primitives", true, (byte) -1, (short) 2, 'A', 3, 4L, 1.0f, -0.0))
        .isEqualTo("01" + "01" + "ff" + "0002" + "0041" + "00000003" + "0000000000000004"
            + "3f800000" + "8000000000000000");
    assertThat(arguments("count")).isEqualTo("01");
    assertThat(arguments("text", "a".repeat(300))).startsWith("01" + "01" + "ac02" + "6161");
  }

  @Test
  void recordsCollectionsAndOptionals_encodeAsDocumented() {
    assertThat(arguments("points", new Page<>(List.of(new Point(1, 2)), Optional.empty())))
        .isEqualTo("01" + "01" + "01" + "01" + "00000001" + "00000002" + "01" + "00");
    assertThat(arguments("tree", new Tree("a", List.of())))
        .isEqualTo("01" + "01" + "01" + "0161" + "01" + "00");
    assertThat(result("optional", Optional.of(Optional.empty())))
        .isEqualTo("01" + "00" + "01" + "01" + "00");
  }

  @Test
  void enumsAndResults_encodeAsDocumented() {
    assertThat(result("color", Color.RED)).isEqualTo("01" + "00" + "01" + "03" + "524544");
    assertThat(result("count", 5L)).isEqualTo("01" + "00" + "0000000000000005");
  }

  @Test
  void failures_encodeAsDocumented() throws Exception {
    ServiceCodec codec = ServiceCodec.of(Signer.class, CodecLimits.DEFAULT);
    MethodCodec sign = codec.method(Signer.class.getMethod("sign", byte[].class));
    assertThat(HEX.formatHex(sign.encodeFailure(new EnclaveException(Code.NOT_FOUND, "x"))))
        .isEqualTo("01" + "02" + "05" + "0178");
    assertThat(HEX.formatHex(sign.encodeFailure(new IllegalStateException("hidden"))))
        .isEqualTo("01" + "03" + "1f" + HEX.formatHex("java.lang.IllegalStateException".getBytes()));
    String name = KeyNotReadyException.class.getName();
    assertThat(HEX.formatHex(sign.encodeFailure(new KeyNotReadyException("k"))))
        .isEqualTo("01" + "01" + "36" + HEX.formatHex(name.getBytes()) + "01" + "01" + "6b");
  }

  @Test
  void methodIds_areTheFirstEightBytesOfTheSignaturesSha256() throws Exception {
    MethodCodec text = RoundTripPropertyTest.method("text");
    assertThat(text.signature()).isEqualTo("text(java.lang.String)java.lang.String");
    assertThat(text.id()).isEqualTo(0x83a9b8a6a06a02d7L);
    MethodCodec sign = ServiceCodec.of(Signer.class, CodecLimits.DEFAULT)
        .method(Signer.class.getMethod("sign", byte[].class));
    assertThat(sign.signature()).isEqualTo("sign(byte[])byte[]");
    assertThat(sign.id()).isEqualTo(0x720e97f021a3aeccL);
  }
}
