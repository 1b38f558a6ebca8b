package dev.cella.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgramMessagesTest {
  @Test
  void start_roundTrips() {
    LinkedHashMap<String, String> env = new LinkedHashMap<>();
    env.put("TZ", "UTC");
    var start = new ProgramMessages.Start("a.Main", List.of("-x", "ü"), env, "/work",
        List.of(new ProgramMessages.Mount("/srv", "/in", "read-only")));
    var again = ProgramMessages.Start.decode(start.encode());
    assertThat(again.mainClass()).isEqualTo("a.Main");
    assertThat(again.args()).containsExactly("-x", "ü");
    assertThat(again.envMap()).containsEntry("TZ", "UTC");
    assertThat(again.workingDirectory()).isEqualTo("/work");
    assertThat(again.mounts()).isEqualTo(start.mounts());
  }

  @Test
  void start_withAnImpossibleCount_orTrailingBytes_isRefused() {
    byte[] huge = new WireWriter(16).string("a.Main").u32(Integer.MAX_VALUE).toByteArray();
    assertThatThrownBy(() -> ProgramMessages.Start.decode(huge))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("argument count");
    byte[] good = new ProgramMessages.Start("a.Main", List.of(), new LinkedHashMap<>(), "",
        List.of()).encode();
    byte[] longer = java.util.Arrays.copyOf(good, good.length + 1);
    assertThatThrownBy(() -> ProgramMessages.Start.decode(longer))
        .isInstanceOf(ProtocolException.class);
  }

  @Test
  void end_outputAndInput_roundTrip_andRefuseNonsense() {
    var end = ProgramMessages.End.decode(
        new ProgramMessages.End(ProgramMessages.Ending.UNCAUGHT, 1, "hint").encode());
    assertThat(end.endingOrNull()).isEqualTo(ProgramMessages.Ending.UNCAUGHT);
    assertThat(end.status()).isEqualTo(1);
    assertThat(ProgramMessages.End.decode(new ProgramMessages.End(null, 7, "").encode())
        .endingOrNull()).isNull();
    assertThatThrownBy(() -> ProgramMessages.End.decode(
        new WireWriter(8).u8(9).u32(0).string("").toByteArray()))
        .isInstanceOf(ProtocolException.class);
    var out = ProgramMessages.Output.decode(new ProgramMessages.Output(true, new byte[] {1, 2}).encode());
    assertThat(out.toStderr()).isTrue();
    assertThat(out.bytes()).containsExactly(1, 2);
    assertThatThrownBy(() -> ProgramMessages.Output.decode(
        new WireWriter(8).u8(3).bytes(new byte[0]).toByteArray()))
        .isInstanceOf(ProtocolException.class);
    assertThat(ProgramMessages.decodeInputRequest(ProgramMessages.inputRequest(10))).isEqualTo(10);
    assertThatThrownBy(() -> ProgramMessages.decodeInputRequest(ProgramMessages.inputRequest(0)))
        .isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> ProgramMessages.Input.decode(
        new ProgramMessages.Input(true, new byte[] {1}).encode(), 10))
        .isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> ProgramMessages.Input.decode(
        new ProgramMessages.Input(false, new byte[20]).encode(), 10))
        .isInstanceOf(ProtocolException.class);
  }
}
