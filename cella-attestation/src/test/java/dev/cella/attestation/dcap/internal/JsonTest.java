package dev.cella.attestation.dcap.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON layer keeps the exact signed bytes and refuses ambiguous documents. */
class JsonTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void duplicateKeys_areRefused() {
    assertThatThrownBy(() -> Json.parse(utf8("{\"a\":1,\"a\":2}")))
        .isInstanceOf(IOException.class).hasMessageContaining("Duplicate field 'a'");
  }

  @Test
  void trailingData_isRefused() {
    assertThatThrownBy(() -> Json.parse(utf8("{\"a\":1} {}"))).isInstanceOf(IOException.class);
  }

  @Test
  void scan_keepsTheExactBytesOfAnObjectValue() throws Exception {
    String inner = "{ \"id\" : \"TDX\",\n \"x\":[1, 2] }";
    SignedJson top = SignedJson.scan(utf8("  {\"tcbInfo\":" + inner + ",\"signature\":\"ab\"}"));

    assertThat(new String(top.objects().get("tcbInfo"), StandardCharsets.UTF_8))
        .isEqualTo(inner);
    assertThat(top.strings()).isEqualTo(Map.of("signature", "ab"));
  }

  @Test
  void scan_keepsTheExactBytesAfterMultiByteCharacters() throws Exception {
    String inner = "{\"note\":\"Zürich – ok\"}";
    SignedJson top = SignedJson.scan(utf8("{\"é\":\"ü\",\"enclaveIdentity\":" + inner + "}"));

    assertThat(top.objects().get("enclaveIdentity")).isEqualTo(utf8(inner));
  }
}
