package dev.cella.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class StreamMessagesTest {

  @Test
  void open_roundTrips() {
    StreamMessages.Open open = new StreamMessages.Open(42, 8443);
    assertThat(StreamMessages.Open.decode(open.encode())).isEqualTo(open);
  }

  @Test
  void connect_roundTrips_withAnEnclaveId() {
    StreamMessages.Connect connect = new StreamMessages.Connect(Long.MIN_VALUE + 7, "db.internal", 5432);
    assertThat(StreamMessages.Connect.decode(connect.encode())).isEqualTo(connect);
    assertThat(StreamMessages.isEnclaveId(connect.stream())).isTrue();
    assertThat(StreamMessages.isEnclaveId(1)).isFalse();
  }

  @Test
  void data_roundTrips_andRefusesMoreThanTheLimit() {
    StreamMessages.Data data = new StreamMessages.Data(3, new byte[100]);
    StreamMessages.Data back = StreamMessages.Data.decode(data.encode(), 100);
    assertThat(back.stream()).isEqualTo(3);
    assertThat(back.bytes()).hasSize(100);
    assertThatThrownBy(() -> StreamMessages.Data.decode(data.encode(), 99))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("more than the limit 99");
  }

  @Test
  void close_roundTrips_finAndReset() {
    for (boolean reset : new boolean[] {false, true}) {
      StreamMessages.Close close = new StreamMessages.Close(9, reset, "why");
      assertThat(StreamMessages.Close.decode(close.encode())).isEqualTo(close);
    }
  }

  @Test
  void open_withPortZeroOrAbove65535_isRefused() {
    byte[] zero = new WireWriter(12).u64(1).u32(0).toByteArray();
    byte[] big = new WireWriter(12).u64(1).u32(65536).toByteArray();
    assertThatThrownBy(() -> StreamMessages.Open.decode(zero))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("port 0 is out of range");
    assertThatThrownBy(() -> StreamMessages.Open.decode(big))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("out of range");
  }

  @Test
  void close_withAResetFlagOtherThanZeroOrOne_isRefused() {
    byte[] payload = new WireWriter(16).u64(1).u8(2).string("x").toByteArray();
    assertThatThrownBy(() -> StreamMessages.Close.decode(payload))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("must be 0 or 1");
  }

  @Test
  void decoders_withTrailingBytes_refuseThem() {
    byte[] open = new WireWriter(13).u64(1).u32(80).u8(0).toByteArray();
    assertThatThrownBy(() -> StreamMessages.Open.decode(open))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("trailing");
  }

  @Test
  void decoders_anyBytes_giveAValueOrProtocolException() {
    Random random = new Random(7);
    for (int i = 0; i < 2_000; i++) {
      byte[] bytes = new byte[random.nextInt(40)];
      random.nextBytes(bytes);
      decodeOrRefuse(() -> StreamMessages.Open.decode(bytes));
      decodeOrRefuse(() -> StreamMessages.Connect.decode(bytes));
      decodeOrRefuse(() -> StreamMessages.Data.decode(bytes, 16));
      decodeOrRefuse(() -> StreamMessages.Close.decode(bytes));
    }
  }

  private static void decodeOrRefuse(Runnable decode) {
    try {
      decode.run();
    } catch (ProtocolException refused) {
      // Refused as it must be.
    }
  }
}
