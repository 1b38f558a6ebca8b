package dev.cella.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cella.EnclaveException;
import dev.cella.protocol.codec.Fixtures.AllTypes;
import dev.cella.protocol.codec.Fixtures.Mixed;
import dev.cella.protocol.codec.Fixtures.Tree;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Whatever bytes arrive, decoding yields a value or a {@link CodecException}, and nothing else:
 * no other exception, no hang, no large allocation. The inputs are bounded (at most a few hundred
 * bytes), so a decoder that allocated by a claimed length would fail with OutOfMemoryError here.
 */
class MalformedInputPropertyTest {
  private static final ServiceCodec CODEC = ServiceCodec.of(AllTypes.class, CodecLimits.DEFAULT);
  private static final List<MethodCodec> METHODS = CODEC.methods();

  /** Raw random bytes, half of them behind a valid version byte to get past the first check. */
  @Property(tries = 1000)
  void randomBytes_decodeToAValueOrCodecException(
      @ForAll("methods") MethodCodec m, @ForAll @Size(max = 64) byte[] bytes, @ForAll boolean v1) {
    byte[] message = v1 ? withVersion(bytes) : bytes;
    assertDecodesOrRefuses(m, message);
  }

  /** Valid messages with a few bytes overwritten, cut short or extended. */
  @Property(tries = 1000)
  void mutatedValidMessages_decodeToAValueOrCodecException(
      @ForAll("mixedValues") Mixed value,
      @ForAll("trees") Tree tree,
      @ForAll @Size(min = 1, max = 4) List<@IntRange(min = 0, max = 10_000) Integer> positions,
      @ForAll byte replacement,
      @ForAll @IntRange(min = 0, max = 3) int mutation) {
    for (String name : List.of("mixed", "tree")) {
      MethodCodec m = RoundTripPropertyTest.method(name);
      Object arg = name.equals("mixed") ? value : tree;
      for (byte[] valid : List.of(m.encodeArguments(new Object[] {arg}), m.encodeResult(arg))) {
        assertDecodesOrRefuses(m, mutate(valid, positions, replacement, mutation));
      }
    }
  }

  private static byte[] mutate(byte[] valid, List<Integer> positions, byte b, int mutation) {
    byte[] out = valid.clone();
    int at = positions.getFirst() % out.length;
    switch (mutation) {
      case 0 -> positions.forEach(p -> out[p % out.length] = b);
      case 1 -> {
        return Arrays.copyOf(out, at);
      }
      case 2 -> {
        byte[] longer = Arrays.copyOf(out, out.length + positions.size());
        Arrays.fill(longer, out.length, longer.length, b);
        return longer;
      }
      default -> out[at] ^= (byte) (1 << (positions.size() % 8));
    }
    return out;
  }

  private static void assertDecodesOrRefuses(MethodCodec m, byte[] message) {
    try {
      m.decodeArguments(message);
    } catch (Throwable t) {
      assertThat(t).as("decodeArguments of %s", m).isInstanceOf(CodecException.class);
    }
    try {
      m.decodeOutcome(message);
    } catch (CodecException expected) {
      // refused: fine
    } catch (Throwable t) {
      // Only a well-formed failure outcome (tag 1, 2 or 3 after the version) may throw otherwise.
      assertThat(message.length).isGreaterThan(1);
      assertThat(message[1]).as("outcome tag of a message that threw %s", t).isIn(
          (byte) 1, (byte) 2, (byte) 3);
      assertThat(t).isInstanceOfAny(EnclaveException.class, Fixtures.KeyNotReadyException.class);
    }
  }

  private static byte[] withVersion(byte[] bytes) {
    byte[] message = new byte[bytes.length + 1];
    message[0] = 1;
    System.arraycopy(bytes, 0, message, 1, bytes.length);
    return message;
  }

  @Provide Arbitrary<MethodCodec> methods() {
    return Arbitraries.of(METHODS);
  }

  @Provide Arbitrary<Mixed> mixedValues() {
    return Values.mixed();
  }

  @Provide Arbitrary<Tree> trees() {
    return Values.trees(3);
  }
}
