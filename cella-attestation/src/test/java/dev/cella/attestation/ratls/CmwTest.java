package dev.cella.attestation.ratls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.attestation.ratls.internal.Cmw;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The CMW record: one encoding, and every deviation from it refused. */
class CmwTest {
  private static final byte[] EVIDENCE = new byte[300];

  @Test
  void decode_ofEncode_returnsTheEvidence() throws Exception {
    Arrays.fill(EVIDENCE, (byte) 7);
    byte[] record = Cmw.encode(EVIDENCE);

    assertThat(record[0]).isEqualTo((byte) 0x83);
    assertThat(record[record.length - 1]).isEqualTo((byte) 4);
    assertThat(Cmw.decode(record)).isEqualTo(EVIDENCE);
  }

  @Test
  void decode_trailingByte_isRefused() {
    byte[] record = Cmw.encode(EVIDENCE);
    byte[] longer = Arrays.copyOf(record, record.length + 1);

    assertThatThrownBy(() -> Cmw.decode(longer)).hasMessageContaining("after the CMW record");
  }

  @Test
  void decode_otherMediaType_isRefused() {
    byte[] record = Cmw.encode(EVIDENCE);
    record[5] = 'X';

    assertThatThrownBy(() -> Cmw.decode(record)).hasMessageContaining("CMW type");
  }

  @Test
  void decode_otherIndicator_isRefused() {
    byte[] record = Cmw.encode(EVIDENCE);
    record[record.length - 1] = 8;

    assertThatThrownBy(() -> Cmw.decode(record)).hasMessageContaining("indicator");
  }

  @Test
  void decode_nonShortestLength_isRefused() {
    byte[] record = Cmw.encode(new byte[] {1});
    // array head, type head (0x78 len), type; then re-encode the value length 1 as 0x58 0x01.
    int valueHead = 3 + Cmw.MEDIA_TYPE.length();
    byte[] padded = new byte[record.length + 1];
    System.arraycopy(record, 0, padded, 0, valueHead);
    padded[valueHead] = 0x58;
    padded[valueHead + 1] = 1;
    System.arraycopy(record, valueHead + 1, padded, valueHead + 2, record.length - valueHead - 1);

    assertThatThrownBy(() -> Cmw.decode(padded)).hasMessageContaining("shortest form");
  }

  @Test
  void decode_truncated_isRefused() {
    byte[] record = Cmw.encode(EVIDENCE);

    assertThatThrownBy(() -> Cmw.decode(Arrays.copyOf(record, 40)))
        .hasMessageContaining("past the end");
  }
}
