package dev.cella.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.protocol.codec.internal.Writer;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The writer's limit holds whatever buffer it starts with: a write that fits the buffer is not
 * checked against the limit again, so the buffer itself must never be larger than the prefix
 * and the limit, from the size hint it starts with to every growth.
 */
class WriterTest {
  private static final CodecLimits LIMITS = new CodecLimits(CodecLimits.MIN_MESSAGE_BYTES, 8);
  private static final byte[] PREFIX = {7, 8, 9};

  @ParameterizedTest
  @ValueSource(ints = {1, 16, 127, 128, 129, 10_000})
  void bytesUpToTheLimitAfterThePrefix_pass_andOneMore_isRefused(int hint) {
    Writer out = new Writer(LIMITS, hint, PREFIX);
    for (int i = 0; i < LIMITS.maxMessageBytes(); i++) {
      out.put(i);
    }
    assertThatThrownBy(() -> out.put(0))
        .isInstanceOf(CodecException.class)
        .hasMessage("the encoded message would exceed the limit of 128 bytes");
    byte[] frame = out.toByteArray();
    assertThat(frame).hasSize(PREFIX.length + LIMITS.maxMessageBytes());
    assertThat(Arrays.copyOf(frame, PREFIX.length)).isEqualTo(PREFIX);
    assertThat(frame[PREFIX.length + 127]).isEqualTo((byte) 127);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 64, 10_000})
  void aLongValuePastTheLimit_isRefused_whateverTheHint(int hint) {
    Writer out = new Writer(LIMITS, hint, PREFIX);
    for (int i = 0; i < LIMITS.maxMessageBytes() - 7; i++) {
      out.put(1);
    }
    assertThatThrownBy(() -> out.putLong(1))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("exceed the limit");
    assertThat(out.size()).isEqualTo(LIMITS.maxMessageBytes() - 7);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 5, 6, 64})
  void aHintOfTheMessagesSize_orAnyOther_givesTheSameBytes(int hint) {
    Writer out = new Writer(LIMITS, hint, PREFIX);
    out.put(1);
    out.putString("abc");
    out.putVarint(300);
    assertThat(out.toByteArray()).containsExactly(7, 8, 9, 1, 3, 'a', 'b', 'c', 0xAC - 256, 2);
  }
}
