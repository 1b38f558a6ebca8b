package dev.cella.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.protocol.codec.Fixtures.Page;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.RandomAccess;
import org.junit.jupiter.api.Test;

/**
 * Decoded lists are the JDK's {@code List.of} lists whatever their size (0, 1 and 2 elements are
 * built without an array): they must behave as any list with those elements does for equality and
 * hashing, stay immutable, and be null-hostile as docs/architecture.md says.
 */
class DecodedListTest {
  @Test
  void decodedLists_ofEverySize_equalAnArrayList_areImmutable_andRefuseNullQueries()
      throws Throwable {
    MethodCodec m = RoundTripPropertyTest.method("strings");
    for (int n = 0; n <= 5; n++) {
      List<String> sent = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        sent.add("item" + i);
      }
      Page<?> page = (Page<?>) m.decodeOutcome(m.encodeResult(new Page<>(sent, Optional.empty())));
      @SuppressWarnings("unchecked")
      List<Object> got = (List<Object>) page.items();
      assertThat(got).as("%d elements", n).isEqualTo(sent).hasSameHashCodeAs(sent);
      assertThat(sent).isEqualTo(got);
      assertThat(got).isInstanceOf(RandomAccess.class).containsExactlyElementsOf(sent);
      assertThat(List.copyOf(got)).isSameAs(got); // already immutable: records may copy for free
      assertThatThrownBy(() -> got.add("x"))
          .isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> got.clear())
          .isInstanceOf(UnsupportedOperationException.class);
      if (n > 0) {
        assertThatThrownBy(() -> got.set(0, "x"))
            .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> got.contains(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> got.indexOf(null)).isInstanceOf(NullPointerException.class);
      }
    }
  }
}
