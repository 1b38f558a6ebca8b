package dev.cella.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.protocol.codec.Fixtures.AllTypes;
import dev.cella.protocol.codec.Fixtures.Color;
import dev.cella.protocol.codec.Fixtures.Page;
import dev.cella.protocol.codec.Fixtures.Point;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Strings against the JDK's own strict UTF-8 as the oracle, at the lengths where the encoder's
 * one-pass path (under 128 chars, one varint byte) and the decoder's word-wise ASCII scan (eight
 * bytes, then a tail) change course, with every kind of non-ASCII char and malformed sequence at
 * every position.
 */
class StringEdgeTest {
  private static final int[] LENGTHS = {0, 1, 7, 8, 9, 15, 16, 17, 127, 128, 129, 1000, 70_000};
  /** 2-byte (two of them Latin-1 but not ASCII), 3-byte (U+FFFD itself), 4-byte. */
  private static final String[] NON_ASCII = {"\u0080", "\u00FF", "é", "€", "\uFFFD", "😀"};
  private static final String[] UNPAIRED = {"\uD800", "\uDBFF", "\uDC00", "\uDFFF", "\uDC00\uD800"};
  /** Each is malformed from its first byte, whatever follows it. */
  private static final String[] MALFORMED = {
    "80", "bf", "c0 80", "c1 bf", "e0 80 80", "e0 9f bf", "f0 80 80 80", "f0 8f bf bf", // overlong
    "ed a0 80", "ed bf bf", "f4 90 80 80", "f5 80 80 80", "f8", "fe", "ff", // surrogate, too big
    "c3 41", "e2 41 82", "e2 82 41", "f0 9f 98 41", "c3", "e2 82", "f0 9f 98" // truncated
  };
  private static final MethodCodec TEXT = RoundTripPropertyTest.method("text");

  private static String ascii(int n) {
    StringBuilder s = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      s.append((char) (' ' + i % 95));
    }
    return s.toString();
  }

  /** The arguments message of text(s) as the format says: version, presence, length, UTF-8. */
  private static byte[] expectedMessage(byte[] utf8) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(1);
    out.write(1);
    int v = utf8.length;
    while ((v & ~0x7F) != 0) {
      out.write((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out.write(v);
    out.writeBytes(utf8);
    return out.toByteArray();
  }

  private static int[] positions(int length) {
    if (length <= 129) {
      int[] all = new int[length + 1];
      for (int i = 0; i <= length; i++) {
        all[i] = i;
      }
      return all;
    }
    return new int[] {0, 1, 7, 8, 9, 127, 128, length / 2, length - 9, length - 8, length - 1, length};
  }

  private static void crossesExactly(String s) {
    byte[] message = TEXT.encodeArguments(new Object[] {s});
    assertThat(message).as("length %d", s.length())
        .isEqualTo(expectedMessage(s.getBytes(StandardCharsets.UTF_8)));
    assertThat(TEXT.decodeArguments(message)).containsExactly(s);
  }

  @Test
  void strings_ofEveryEdgeLength_withNonAsciiAtEveryPosition_encodeAsUtf8_andRoundTrip() {
    for (int length : LENGTHS) {
      String base = ascii(length);
      crossesExactly(base);
      for (String c : NON_ASCII) {
        for (int at : positions(length)) {
          crossesExactly(base.substring(0, at) + c + base.substring(at)); // inserted
          if (at < length) {
            crossesExactly(base.substring(0, at) + c + base.substring(at + 1)); // replacing
          }
        }
      }
    }
  }

  @Test
  void unpairedSurrogates_atEveryPosition_areRefused_andTheNextStringStillCrosses() {
    for (int length : LENGTHS) {
      String base = ascii(length);
      for (String u : UNPAIRED) {
        for (int at : positions(length)) {
          String s = base.substring(0, at) + u + base.substring(at);
          assertThatThrownBy(() -> TEXT.encodeArguments(new Object[] {s}))
              .isExactlyInstanceOf(CodecException.class)
              .hasMessageContaining("unpaired surrogate at index " + at);
        }
      }
      crossesExactly(base);
    }
  }

  @Test
  void malformedUtf8_afterAsciiRunsOfEveryEdgeLength_isRefusedAtItsFirstByte() {
    for (int run : new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 127, 1000}) {
      for (String hex : MALFORMED) {
        for (int tail : new int[] {0, 1, 7, 8, 9}) {
          byte[] utf8 = join(ascii(run), hex, ascii(tail));
          assertThat(strictlyDecodes(utf8)).as("the oracle").isFalse();
          byte[] message = expectedMessage(utf8);
          int offset = message.length - utf8.length + run;
          assertThatThrownBy(() -> TEXT.decodeArguments(message))
              .as("%s after %d ASCII bytes, %d after", hex, run, tail)
              .isExactlyInstanceOf(CodecException.class)
              .hasMessage("malformed message: invalid UTF-8 in string at offset " + offset);
        }
      }
    }
  }

  @Property(tries = 3000)
  void anyBytes_decode_exactlyWhenTheJdksStrictDecoderAccepts_andToTheSameString(
      @ForAll("nearlyAscii") byte[] utf8) {
    byte[] message = expectedMessage(utf8);
    String strict = strictDecode(utf8);
    if (strict == null) {
      assertThatThrownBy(() -> TEXT.decodeArguments(message))
          .isExactlyInstanceOf(CodecException.class)
          .hasMessageContaining("invalid UTF-8");
    } else {
      assertThat(TEXT.decodeArguments(message)).containsExactly(strict);
      assertThat(TEXT.encodeArguments(new Object[] {strict})).isEqualTo(message);
    }
  }

  /** Mostly ASCII, with lead and continuation bytes sprinkled in, of lengths around 8 and 128. */
  @Provide
  Arbitrary<byte[]> nearlyAscii() {
    Arbitrary<Byte> bytes = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(20, Arbitraries.bytes().between((byte) 0, (byte) 0x7F)),
        net.jqwik.api.Tuple.of(1, Arbitraries.bytes()),
        net.jqwik.api.Tuple.of(1, Arbitraries.of((byte) 0xC3, (byte) 0xE2, (byte) 0xED,
            (byte) 0xF0, (byte) 0xF4, (byte) 0x80, (byte) 0xA0, (byte) 0xBF)));
    return Arbitraries.oneOf(
        bytes.array(byte[].class).ofMaxSize(20),
        bytes.array(byte[].class).ofMinSize(120).ofMaxSize(136));
  }

  @Test
  void aMessageEndingExactlyAtTheLimit_withA127Or128CharString_crosses_andOneByteLess_isRefused() {
    // text(s): version, presence, a varint length, the bytes. 127 ASCII chars: 2 + 1 + 127.
    // 128 ASCII chars, or 127 chars one of them 'é' (128 bytes): 2 + 2 + 128.
    String s127 = ascii(127);
    String s128 = ascii(128);
    String e127 = "é" + ascii(126);
    atTheLimitExactly(s127, 130);
    atTheLimitExactly(s128, 132);
    atTheLimitExactly(e127, 132);
  }

  private static void atTheLimitExactly(String s, int size) {
    ServiceCodec exact = ServiceCodec.of(AllTypes.class, new CodecLimits(size, 8));
    ServiceCodec short1 = ServiceCodec.of(AllTypes.class, new CodecLimits(size - 1, 8));
    MethodCodec text = method(exact, "text");
    byte[] prefix = {9, 9, 9};
    for (int round = 0; round < 3; round++) { // later rounds start from the last size's hint
      byte[] message = text.encodeArguments(new Object[] {s});
      assertThat(message).hasSize(size);
      assertThat(text.decodeArguments(message)).containsExactly(s);
      byte[] framed = text.encodeArguments(prefix, new Object[] {s});
      assertThat(framed).hasSize(prefix.length + size);
      assertThat(text.decodeArguments(framed, prefix.length, size)).containsExactly(s);
      assertThatThrownBy(() -> method(short1, "text").encodeArguments(new Object[] {s}))
          .isExactlyInstanceOf(CodecException.class)
          .hasMessageContaining("exceed the limit of " + (size - 1));
      assertThatThrownBy(() -> method(short1, "text").decodeArguments(message))
          .isExactlyInstanceOf(CodecException.class)
          .hasMessageContaining("more than the limit of " + (size - 1));
    }
  }

  @Test
  void edgeStrings_insideRecordsListsMapsSetsAndOptionals_roundTripExactly() throws Throwable {
    List<String> strings = new ArrayList<>();
    for (int length : new int[] {0, 1, 7, 8, 9, 127, 128, 129}) {
      strings.add(ascii(length));
      strings.add("é" + ascii(length));
      strings.add(ascii(length) + "😀");
      strings.add(ascii(length) + "\u00FF");
    }
    for (int n = 0; n <= strings.size(); n += 7) {
      List<String> items = strings.subList(0, n);
      Page<String> page = new Page<>(items, n % 2 == 0 ? Optional.empty() : Optional.of(ascii(n)));
      MethodCodec m = RoundTripPropertyTest.method("strings");
      Object decoded = m.decodeOutcome(m.encodeResult(page));
      assertThat(Deep.difference(page, decoded)).isNull();
      Map<String, Integer> counts = new LinkedHashMap<>();
      items.forEach(s -> counts.put(s, s.length()));
      MethodCodec c = RoundTripPropertyTest.method("counts");
      assertThat(Deep.difference(counts, c.decodeOutcome(c.encodeResult(counts)))).isNull();
      MethodCodec t = RoundTripPropertyTest.method("tags");
      Set<String> tags = new java.util.LinkedHashSet<>(items);
      assertThat(Deep.difference(tags, t.decodeOutcome(t.encodeResult(tags)))).isNull();
    }
    MethodCodec nested = RoundTripPropertyTest.method("nested");
    Map<Color, List<Page<String>>> m = Map.of(Color.RED,
        List.of(new Page<>(strings, Optional.of("€")), new Page<>(List.of(), Optional.empty())));
    assertThat(Deep.difference(m, nested.decodeOutcome(nested.encodeResult(m)))).isNull();
    MethodCodec points = RoundTripPropertyTest.method("points");
    Page<Point> p = new Page<>(List.of(new Point(1, 2)), Optional.of(ascii(127) + "é"));
    assertThat(Deep.difference(p, points.decodeOutcome(points.encodeResult(p)))).isNull();
  }

  private static MethodCodec method(ServiceCodec codec, String name) {
    return codec.methods().stream()
        .filter(m -> m.method().getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static byte[] join(String before, String hex, String after) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(before.getBytes(StandardCharsets.US_ASCII));
    for (String b : hex.split(" ")) {
      out.write(Integer.parseInt(b, 16));
    }
    out.writeBytes(after.getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  private static boolean strictlyDecodes(byte[] utf8) {
    return strictDecode(utf8) != null;
  }

  private static String strictDecode(byte[] utf8) {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(utf8)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
