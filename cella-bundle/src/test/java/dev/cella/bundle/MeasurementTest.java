package dev.cella.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cella.Measurement;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MeasurementTest {
  private static final byte[] MANIFEST = Fixtures.manifest().toJson();
  private static final byte[] APP = Fixtures.jar("com/example/App.class", "app");
  private static final byte[] RUNTIME = Fixtures.jar("dev/cella/Runtime.class", "runtime");

  private static List<Map.Entry<String, byte[]>> entries() {
    return new ArrayList<>(List.of(Map.entry("cella/manifest.json", MANIFEST),
        Map.entry("lib/app.jar", APP), Map.entry("lib/cella-enclave.jar", RUNTIME)));
  }

  @Test
  void measurement_ignoresTimesOrderAndCompression() throws Exception {
    List<Map.Entry<String, byte[]>> reversed = entries();
    Collections.reverse(reversed);
    byte[] stored = Fixtures.zip(entries(), false, LocalDateTime.of(2001, 2, 3, 4, 5, 6));
    byte[] deflated = Fixtures.zip(reversed, true, LocalDateTime.of(2030, 12, 31, 23, 59, 58));
    assertThat(stored).isNotEqualTo(deflated);
    Measurement a = UnsignedBundle.read(stored).measurement();
    Measurement b = UnsignedBundle.read(deflated).measurement();
    Measurement built = BundleBuilder.create(Fixtures.manifest())
        .addLibrary("cella-enclave.jar", RUNTIME).addLibrary("app.jar", APP)
        .buildUnsigned().measurement();
    assertThat(a).isEqualTo(b).isEqualTo(built);
  }

  @Test
  void measurement_followsTheDocumentedEncoding() throws Exception {
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.writeBytes("CELLA-BUNDLE-MEASUREMENT-V1".getBytes(StandardCharsets.US_ASCII));
    expected.write(0);
    for (Map.Entry<String, byte[]> e : entries()) { // already sorted by UTF-8 path
      byte[] path = e.getKey().getBytes(StandardCharsets.UTF_8);
      expected.writeBytes(ByteBuffer.allocate(4).putInt(path.length).array());
      expected.writeBytes(path);
      expected.writeBytes(ByteBuffer.allocate(8).putLong(e.getValue().length).array());
      expected.writeBytes(MessageDigest.getInstance("SHA-384").digest(e.getValue()));
    }
    byte[] digest = MessageDigest.getInstance("SHA-384").digest(expected.toByteArray());
    Measurement m = UnsignedBundle.read(Fixtures.zip(entries(), false, LocalDateTime.now())).measurement();
    assertThat(m.hex()).isEqualTo(HexFormat.of().formatHex(digest));
  }

  @Test
  void measurement_changesWithAnyContentOrPath() throws Exception {
    Measurement base = UnsignedBundle.read(Fixtures.zip(entries(), false, LocalDateTime.now())).measurement();
    List<Map.Entry<String, byte[]>> renamed = entries();
    renamed.set(1, Map.entry("lib/app2.jar", APP));
    List<Map.Entry<String, byte[]>> changed = entries();
    changed.set(1, Map.entry("lib/app.jar", Fixtures.jar("com/example/App.class", "app!")));
    assertThat(UnsignedBundle.read(Fixtures.zip(renamed, false, LocalDateTime.now())).measurement())
        .isNotEqualTo(base);
    assertThat(UnsignedBundle.read(Fixtures.zip(changed, false, LocalDateTime.now())).measurement())
        .isNotEqualTo(base);
  }

  @Test
  void measurement_ignoresTheSignature() throws Exception {
    try (BundleSigningKey key = BundleSigningKey.generate()) {
      UnsignedBundle unsigned = Fixtures.builder().buildUnsigned();
      assertThat(Bundle.read(unsigned.sign(key)).measurement()).isEqualTo(unsigned.measurement());
    }
  }

  @Test
  void signingPayload_followsTheDocumentedEncoding() {
    Measurement m = Measurement.of(new byte[48]);
    byte[] payload = new SigningPayload(m, 0x1234, 0xABCD, true).toBytes();
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.writeBytes("CELLA-BUNDLE-SIGNATURE-V1".getBytes(StandardCharsets.US_ASCII));
    expected.write(0);
    expected.writeBytes(new byte[48]);
    expected.writeBytes(new byte[] {0x12, 0x34, (byte) 0xAB, (byte) 0xCD, 1});
    assertThat(payload).isEqualTo(expected.toByteArray()).hasSize(SigningPayload.LENGTH);
    assertThat(new SigningPayload(m, 0, 0, false).toBytes()[SigningPayload.LENGTH - 1]).isZero();
  }
}
