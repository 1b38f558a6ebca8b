package dev.cella.protocol;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * What fuzzing found in this module, one test per finding (docs/fuzzing.md lists them); the
 * crashing inputs are also in the fuzz corpus as {@code crash-*}.
 */
class FuzzFindingsTest {

  /** Was an IllegalArgumentException from the WireReader constructor. */
  @Test
  void fromFrame_shorterThanHeader_isProtocolException() {
    assertThatThrownBy(() -> Invocation.fromFrame(new byte[0]))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("shorter than its header");
    assertThatThrownBy(() -> Invocation.fromFrame(new byte[] {Frames.VERSION}))
        .isInstanceOf(ProtocolException.class);
  }
}
