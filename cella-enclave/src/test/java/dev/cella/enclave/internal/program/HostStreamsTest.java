package dev.cella.enclave.internal.program;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.protocol.FrameType;
import dev.cella.protocol.ProgramMessages;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostStreamsTest {
  private final List<String> sent = new ArrayList<>();

  private byte[] host(FrameType type, byte[] payload) {
    assertThat(type).isEqualTo(FrameType.PROGRAM_OUTPUT);
    ProgramMessages.Output out = ProgramMessages.Output.decode(payload);
    sent.add((out.toStderr() ? "err:" : "out:") + new String(out.bytes(), StandardCharsets.UTF_8));
    return new byte[0];
  }

  @Test
  void aPromptWithoutNewline_isSentAtOnce_andSingleBytesAtTheNewline() throws IOException {
    PrintStream out = new PrintStream(new HostStreams.Output(this::host, false), true,
        StandardCharsets.UTF_8);
    out.print("sql> ");
    assertThat(sent).containsExactly("out:sql> ");
    HostStreams.Output err = new HostStreams.Output(this::host, true);
    err.write('a');
    err.write('\n');
    assertThat(sent).containsExactly("out:sql> ", "err:a\n");
  }

  @Test
  void aLargeWrite_crossesInChunksOfAtMostTheLimit() throws IOException {
    List<Integer> sizes = new ArrayList<>();
    HostStreams.Output out = new HostStreams.Output((type, payload) -> {
      sizes.add(ProgramMessages.Output.decode(payload).bytes().length);
      return new byte[0];
    }, false);
    out.write(new byte[ProgramMessages.MAX_CHUNK_BYTES + 10]);
    assertThat(sizes).containsExactly(ProgramMessages.MAX_CHUNK_BYTES, 10);
  }

  @Test
  void input_readsWhatTheHostGives_thenTheEnd() throws IOException {
    Deque<ProgramMessages.Input> answers = new ArrayDeque<>(List.of(
        new ProgramMessages.Input(false, "ab".getBytes(StandardCharsets.UTF_8)),
        new ProgramMessages.Input(true, new byte[0])));
    HostStreams.Input in = new HostStreams.Input((type, payload) -> {
      assertThat(type).isEqualTo(FrameType.PROGRAM_INPUT);
      return answers.removeFirst().encode();
    });
    assertThat(in.readAllBytes()).asString(StandardCharsets.UTF_8).isEqualTo("ab");
    assertThat(in.read()).isEqualTo(-1);
  }

  @Test
  void aHostThatFails_givesTheProgramAnIOException() {
    HostStreams.Output out = new HostStreams.Output((type, payload) -> {
      throw new IllegalStateException("gone");
    }, false);
    assertThatThrownBy(() -> out.write(new byte[] {1, 2})).isInstanceOf(IOException.class)
        .hasMessageContaining("gone");
    assertThatThrownBy(() -> out.write(new byte[] {3})).isInstanceOf(IOException.class);
  }
}
