package dev.cella.protocol.codec;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.protocol.codec.Fixtures.Boxes;
import dev.cella.protocol.codec.Fixtures.Color;
import dev.cella.protocol.codec.Fixtures.Empty;
import dev.cella.protocol.codec.Fixtures.KeyNotReadyException;
import dev.cella.protocol.codec.Fixtures.Mixed;
import dev.cella.protocol.codec.Fixtures.Node;
import dev.cella.protocol.codec.Fixtures.Page;
import dev.cella.protocol.codec.Fixtures.Point;
import dev.cella.protocol.codec.Fixtures.Scalars;
import dev.cella.protocol.codec.Fixtures.Tree;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Valid inputs of {@link MethodCodecFuzzTest}, made by the codec's encoders: the selector byte of
 * a method, then an arguments or outcome message of it. Written to the corpus by {@code
 * FuzzSeedsWriter}.
 */
public final class CodecSeeds {
  /** One seed: a file name and the input. */
  public record Seed(String name, byte[] input) {}

  private CodecSeeds() {}

  public static List<Seed> all() {
    List<Seed> seeds = new ArrayList<>();
    Mixed mixed = new Mixed("text", new byte[] {1, 2}, Color.BLUE,
        Map.of("origin", new Point(0, 0)), Set.of(Color.RED), Optional.of(new Point(-1, 1)),
        List.of(new Empty()));
    Tree tree = new Tree("root", List.of(new Tree("leaf", List.of())));
    arguments(seeds, "primitives", false, true, (byte) 1, (short) 2, 'c', 3, 4L, 5.5f, 6.25);
    arguments(seeds, "scalars", false,
        new Scalars(true, (byte) -1, (short) -2, 'x', -3, -4L, Float.NaN, -0.0));
    arguments(seeds, "boxes", false, new Boxes(null, (byte) 1, null, 'y', 2, null, 3f, null));
    arguments(seeds, "text", false, "grüße 🙂");
    arguments(seeds, "points", false,
        new Page<>(List.of(new Point(1, 2), new Point(3, 4)), Optional.of("next")));
    arguments(seeds, "nested", false,
        Map.of(Color.GREEN, List.of(new Page<>(List.of("a"), Optional.empty()))));
    arguments(seeds, "tree", false, tree);
    arguments(seeds, "tree", true, new Tree("flat", List.of()));
    arguments(seeds, "chain", false, new Node<>(1, Optional.of(new Node<>(2, Optional.empty()))));
    arguments(seeds, "mixed", false, mixed);
    arguments(seeds, "optional", false, Optional.of(1.5));
    arguments(seeds, "tags", false, Set.of("a", "b"));
    arguments(seeds, "counts", true, Map.of("k", 1));
    arguments(seeds, "sum", false, 1, 2);
    result(seeds, "mixed", false, mixed);
    result(seeds, "pairs", false, Set.of(new Fixtures.Pair<>("p", 1L)));
    result(seeds, "optional", false, Optional.of(Optional.of("deep")));
    result(seeds, "count", false, 42L);
    failure(seeds, "sign", false, new KeyNotReadyException("not ready"));
    failure(seeds, "sign", false, new EnclaveException(Code.NOT_FOUND, "no key"));
    failure(seeds, "risky", true, new IllegalStateException("internal"));
    arguments(seeds, "sign", false, (Object) new byte[] {1, 2, 3});
    return seeds;
  }

  private static void arguments(List<Seed> seeds, String method, boolean tight, Object... args) {
    MethodCodec m = find(method, tight);
    add(seeds, method + "-arguments" + (tight ? "-tight" : ""), m, m.encodeArguments(args), tight);
  }

  private static void result(List<Seed> seeds, String method, boolean tight, Object result) {
    MethodCodec m = find(method, tight);
    add(seeds, method + "-result" + (tight ? "-tight" : ""), m, m.encodeResult(result), tight);
  }

  private static void failure(List<Seed> seeds, String method, boolean tight, Throwable t) {
    MethodCodec m = find(method, tight);
    add(seeds, method + "-failure-" + t.getClass().getSimpleName() + (tight ? "-tight" : ""), m,
        m.encodeFailure(t), tight);
  }

  private static void add(List<Seed> seeds, String name, MethodCodec m, byte[] message,
      boolean tight) {
    List<MethodCodec> methods =
        tight ? MethodCodecFuzzTest.TIGHT_METHODS : MethodCodecFuzzTest.DEFAULT_METHODS;
    int selector = methods.indexOf(m) | (tight ? 0x80 : 0);
    if (MethodCodecFuzzTest.method(selector) != m) {
      throw new IllegalStateException("selector of " + m);
    }
    byte[] input = new byte[message.length + 1];
    input[0] = (byte) selector;
    System.arraycopy(message, 0, input, 1, message.length);
    seeds.add(new Seed(name, input));
  }

  private static MethodCodec find(String name, boolean tight) {
    List<MethodCodec> methods =
        tight ? MethodCodecFuzzTest.TIGHT_METHODS : MethodCodecFuzzTest.DEFAULT_METHODS;
    return methods.stream().filter(m -> m.method().getName().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no method " + name));
  }
}
