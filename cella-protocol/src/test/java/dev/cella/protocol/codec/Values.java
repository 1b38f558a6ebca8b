package dev.cella.protocol.codec;

import dev.cella.protocol.codec.Fixtures.Boxes;
import dev.cella.protocol.codec.Fixtures.Color;
import dev.cella.protocol.codec.Fixtures.Empty;
import dev.cella.protocol.codec.Fixtures.Mixed;
import dev.cella.protocol.codec.Fixtures.Node;
import dev.cella.protocol.codec.Fixtures.Page;
import dev.cella.protocol.codec.Fixtures.Pair;
import dev.cella.protocol.codec.Fixtures.Point;
import dev.cella.protocol.codec.Fixtures.Scalars;
import dev.cella.protocol.codec.Fixtures.Tree;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators of every supported type, with extreme values, NaNs, unicode and nulls. */
final class Values {
  private Values() {}

  static Arbitrary<String> strings() {
    Arbitrary<String> unicode = Arbitraries.integers().between(0, Character.MAX_CODE_POINT)
        .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
        .list().ofMaxSize(12)
        .map(cps -> {
          StringBuilder s = new StringBuilder();
          cps.forEach(s::appendCodePoint);
          return s.toString();
        });
    Arbitrary<String> astral = Arbitraries.of("😀", "𝄞x", "a\u0000b", "é", "\uFFFF", "\uD83D\uDE00\uD83D\uDE00", "");
    return Arbitraries.oneOf(Arbitraries.strings().ascii().ofMaxLength(16), unicode, astral);
  }

  static Arbitrary<Float> floats() {
    return Arbitraries.oneOf(
        Arbitraries.integers().map(Float::intBitsToFloat),
        Arbitraries.of(Float.NaN, -0.0f, 0.0f, Float.MIN_VALUE, Float.MAX_VALUE,
            Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY));
  }

  static Arbitrary<Double> doubles() {
    return Arbitraries.oneOf(
        Arbitraries.longs().map(Double::longBitsToDouble),
        Arbitraries.of(Double.NaN, -0.0, 0.0, Double.MIN_VALUE, Double.MAX_VALUE,
            Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY));
  }

  static Arbitrary<byte[]> byteArrays() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
  }

  static Arbitrary<Color> colors() {
    return Arbitraries.of(Color.class);
  }

  static Arbitrary<Point> points() {
    return Combinators.combine(Arbitraries.integers(), Arbitraries.integers()).as(Point::new);
  }

  static Arbitrary<Scalars> scalars() {
    return Combinators.combine(
            Arbitraries.of(true, false), Arbitraries.bytes(), Arbitraries.shorts(),
            Arbitraries.chars(), Arbitraries.integers(), Arbitraries.longs(), floats(), doubles())
        .as(Scalars::new);
  }

  static Arbitrary<Boxes> boxes() {
    return Combinators.combine(
            Arbitraries.of(true, false).injectNull(0.2), Arbitraries.bytes().injectNull(0.2),
            Arbitraries.shorts().injectNull(0.2), Arbitraries.chars().injectNull(0.2),
            Arbitraries.integers().injectNull(0.2), Arbitraries.longs().injectNull(0.2),
            floats().injectNull(0.2), doubles().injectNull(0.2))
        .as(Boxes::new);
  }

  static <T> Arbitrary<Page<T>> pages(Arbitrary<T> items) {
    return Combinators.combine(
            items.list().ofMaxSize(5).injectNull(0.1), strings().optional().injectNull(0.1))
        .as(Page::new);
  }

  static Arbitrary<Tree> trees(int depth) {
    Arbitrary<List<Tree>> children = depth == 0
        ? Arbitraries.just(List.of())
        : Arbitraries.lazy(() -> trees(depth - 1)).list().ofMaxSize(3);
    return Combinators.combine(strings().injectNull(0.2), children.injectNull(0.1)).as(Tree::new);
  }

  static Arbitrary<Node<Integer>> chains(int depth) {
    Arbitrary<Optional<Node<Integer>>> next = depth == 0
        ? Arbitraries.just(Optional.empty())
        : Arbitraries.lazy(() -> chains(depth - 1)).optional().injectNull(0.1);
    return Combinators.combine(Arbitraries.integers().injectNull(0.2), next).as(Node::new);
  }

  static Arbitrary<Mixed> mixed() {
    return Combinators.combine(
            strings().injectNull(0.2),
            byteArrays().injectNull(0.2),
            colors().injectNull(0.2),
            Arbitraries.maps(strings(), points()).ofMaxSize(4).injectNull(0.1),
            colors().set().injectNull(0.1),
            points().optional().injectNull(0.1),
            Arbitraries.just(new Empty()).list().ofMaxSize(4).injectNull(0.1))
        .as(Mixed::new);
  }

  static Arbitrary<Pair<String, Long>> pairs() {
    return Combinators.combine(strings().injectNull(0.2), Arbitraries.longs().injectNull(0.2))
        .as(Pair::new);
  }
}
