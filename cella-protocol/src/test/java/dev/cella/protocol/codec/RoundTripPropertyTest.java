package dev.cella.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cella.protocol.codec.Fixtures.AllTypes;
import dev.cella.protocol.codec.Fixtures.Boxes;
import dev.cella.protocol.codec.Fixtures.Color;
import dev.cella.protocol.codec.Fixtures.Mixed;
import dev.cella.protocol.codec.Fixtures.Node;
import dev.cella.protocol.codec.Fixtures.Page;
import dev.cella.protocol.codec.Fixtures.Pair;
import dev.cella.protocol.codec.Fixtures.Point;
import dev.cella.protocol.codec.Fixtures.Scalars;
import dev.cella.protocol.codec.Fixtures.Tree;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Random values of every supported type cross and come back exactly, as arguments and results. */
class RoundTripPropertyTest {
  private static final int TRIES = 300;
  static final ServiceCodec CODEC = ServiceCodec.of(AllTypes.class, CodecLimits.DEFAULT);

  static MethodCodec method(String name) {
    return CODEC.methods().stream()
        .filter(m -> m.method().getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static void argumentsRoundTrip(String name, Object... args) {
    MethodCodec m = method(name);
    Object[] decoded = m.decodeArguments(m.encodeArguments(args));
    assertThat(Deep.difference(args, decoded)).as(name + " arguments").isNull();
  }

  private static void resultRoundTrips(String name, Object result) throws Throwable {
    MethodCodec m = method(name);
    Object decoded = m.decodeOutcome(m.encodeResult(result));
    assertThat(Deep.difference(result, decoded)).as(name + " result").isNull();
  }

  private static void identityRoundTrips(String name, Object value) throws Throwable {
    argumentsRoundTrip(name, value);
    resultRoundTrips(name, value);
  }

  @Property(tries = TRIES)
  void primitives_roundTrip(
      @ForAll boolean z, @ForAll byte b, @ForAll short s, @ForAll char c, @ForAll int i,
      @ForAll long l, @ForAll("floats") float f, @ForAll("doubles") double d) {
    argumentsRoundTrip("primitives", z, b, s, c, i, l, f, d);
  }

  @Property(tries = TRIES)
  void scalarRecords_roundTrip(@ForAll("scalars") Scalars s) throws Throwable {
    identityRoundTrips("scalars", s);
  }

  @Property(tries = TRIES)
  void boxesWithNulls_roundTrip(@ForAll("boxes") Boxes b) throws Throwable {
    identityRoundTrips("boxes", b);
  }

  @Property(tries = TRIES)
  void unicodeStrings_roundTrip(@ForAll("strings") String s) throws Throwable {
    identityRoundTrips("text", s);
  }

  @Property(tries = TRIES)
  void byteArrays_roundTrip(@ForAll("byteArrays") byte[] b) throws Throwable {
    identityRoundTrips("bytes", b);
  }

  @Property(tries = 50)
  void enums_roundTrip(@ForAll("colors") Color c) throws Throwable {
    identityRoundTrips("color", c);
  }

  @Property(tries = TRIES)
  void genericRecordsOfRecords_roundTrip(@ForAll("pointPages") Page<Point> p) throws Throwable {
    identityRoundTrips("points", p);
  }

  @Property(tries = TRIES)
  void genericRecordsOfStrings_roundTrip(@ForAll("stringPages") Page<String> p) throws Throwable {
    identityRoundTrips("strings", p);
  }

  @Property(tries = TRIES)
  void mapsOfListsOfRecords_roundTrip(@ForAll("nested") Map<Color, List<Page<String>>> m)
      throws Throwable {
    identityRoundTrips("nested", m);
  }

  @Property(tries = TRIES)
  void recursiveRecords_roundTrip(@ForAll("trees") Tree t) throws Throwable {
    identityRoundTrips("tree", t);
  }

  @Property(tries = TRIES)
  void recursiveGenericRecords_roundTrip(@ForAll("chains") Node<Integer> n) throws Throwable {
    identityRoundTrips("chain", n);
  }

  @Property(tries = TRIES)
  void mixedRecords_roundTrip(@ForAll("mixed") Mixed m) throws Throwable {
    identityRoundTrips("mixed", m);
  }

  @Property(tries = TRIES)
  void wildcardListsAndSetsOfGenericRecords_roundTrip(
      @ForAll("pointLists") List<Point> points, @ForAll("pairSets") Set<Pair<String, Long>> pairs)
      throws Throwable {
    argumentsRoundTrip("pairs", points);
    resultRoundTrips("pairs", pairs);
  }

  @Property(tries = TRIES)
  void nestedOptionals_roundTrip(
      @ForAll("optionalDoubles") Optional<Double> d,
      @ForAll("optionalOptionals") Optional<Optional<String>> result) throws Throwable {
    argumentsRoundTrip("optional", d);
    resultRoundTrips("optional", result);
  }

  @Property(tries = TRIES)
  void setsAndMapsKeepTheirOrder_roundTrip(
      @ForAll("stringSets") Set<String> tags, @ForAll("stringMaps") Map<String, Integer> counts)
      throws Throwable {
    identityRoundTrips("tags", tags);
    identityRoundTrips("counts", counts);
  }

  @Property(tries = TRIES)
  void primitiveAndBoxedParametersAndResults_roundTrip(
      @ForAll int a, @ForAll("nullableInts") Integer b, @ForAll long count) throws Throwable {
    argumentsRoundTrip("sum", a, b);
    resultRoundTrips("sum", a);
    resultRoundTrips("count", count);
  }

  @Provide Arbitrary<Float> floats() {
    return Values.floats();
  }

  @Provide Arbitrary<Double> doubles() {
    return Values.doubles();
  }

  @Provide Arbitrary<Scalars> scalars() {
    return Values.scalars();
  }

  @Provide Arbitrary<Boxes> boxes() {
    return Values.boxes().injectNull(0.05);
  }

  @Provide Arbitrary<String> strings() {
    return Values.strings().injectNull(0.05);
  }

  @Provide Arbitrary<byte[]> byteArrays() {
    return Values.byteArrays().injectNull(0.05);
  }

  @Provide Arbitrary<Color> colors() {
    return Values.colors().injectNull(0.1);
  }

  @Provide Arbitrary<Page<Point>> pointPages() {
    return Values.pages(Values.points()).injectNull(0.05);
  }

  @Provide Arbitrary<Page<String>> stringPages() {
    return Values.pages(Values.strings());
  }

  @Provide Arbitrary<Map<Color, List<Page<String>>>> nested() {
    return Arbitraries.maps(Values.colors(), Values.pages(Values.strings()).list().ofMaxSize(3))
        .ofMaxSize(3).injectNull(0.05);
  }

  @Provide Arbitrary<Tree> trees() {
    return Values.trees(4).injectNull(0.05);
  }

  @Provide Arbitrary<Node<Integer>> chains() {
    return Values.chains(6);
  }

  @Provide Arbitrary<Mixed> mixed() {
    return Values.mixed();
  }

  @Provide Arbitrary<List<Point>> pointLists() {
    return Values.points().list().ofMaxSize(6).injectNull(0.05);
  }

  @Provide Arbitrary<Set<Pair<String, Long>>> pairSets() {
    return Values.pairs().set().ofMaxSize(6).injectNull(0.05);
  }

  @Provide Arbitrary<Optional<Double>> optionalDoubles() {
    return Values.doubles().optional().injectNull(0.1);
  }

  @Provide Arbitrary<Optional<Optional<String>>> optionalOptionals() {
    return Values.strings().optional().optional().injectNull(0.1);
  }

  @Provide Arbitrary<Set<String>> stringSets() {
    return Values.strings().set().ofMaxSize(8);
  }

  @Provide Arbitrary<Map<String, Integer>> stringMaps() {
    return Arbitraries.maps(Values.strings(), Arbitraries.integers()).ofMaxSize(8);
  }

  @Provide Arbitrary<Integer> nullableInts() {
    return Arbitraries.integers().injectNull(0.2);
  }
}
