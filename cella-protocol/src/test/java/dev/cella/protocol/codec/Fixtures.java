package dev.cella.protocol.codec;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Service interfaces and value types for the codec tests. They reference JDK types only, so that
 * the cross-class-loader tests can load a second copy of them in an isolated loader.
 */
public final class Fixtures {
  private Fixtures() {}

  public enum Color {
    RED,
    GREEN,
    BLUE {
      @Override
      public String toString() {
        return "a constant with a body";
      }
    }
  }

  public record Point(int x, int y) {}

  public record Scalars(boolean z, byte b, short s, char c, int i, long l, float f, double d) {}

  public record Boxes(
      Boolean z, Byte b, Short s, Character c, Integer i, Long l, Float f, Double d) {}

  public record Page<T>(List<T> items, Optional<String> next) {}

  public record Pair<A, B>(A first, B second) {}

  public record Tree(String label, List<Tree> children) {}

  public record Node<T>(T value, Optional<Node<T>> next) {}

  public record Empty() {}

  public record Mixed(
      String text,
      byte[] data,
      Color color,
      Map<String, Point> points,
      Set<Color> colors,
      Optional<Point> maybe,
      List<Empty> empties) {}

  /** One method per supported shape. */
  public interface AllTypes {
    void primitives(boolean z, byte b, short s, char c, int i, long l, float f, double d);

    Scalars scalars(Scalars s);

    Boxes boxes(Boxes b);

    String text(String s);

    byte[] bytes(byte[] b);

    Color color(Color c);

    Page<Point> points(Page<Point> p);

    Page<String> strings(Page<String> p);

    Map<Color, List<Page<String>>> nested(Map<Color, List<Page<String>>> m);

    Tree tree(Tree t);

    Node<Integer> chain(Node<Integer> n);

    Mixed mixed(Mixed m);

    Set<Pair<String, Long>> pairs(List<? extends Point> points);

    Optional<Optional<String>> optional(Optional<Double> d);

    Set<String> tags(Set<String> tags);

    Map<String, Integer> counts(Map<String, Integer> counts);

    int sum(int a, Integer b);

    long count();
  }

  public static class KeyNotReadyException extends Exception {
    private static final long serialVersionUID = 1L;

    public KeyNotReadyException(String message) {
      super(message);
    }
  }

  public static class KeyExpiredException extends KeyNotReadyException {
    private static final long serialVersionUID = 1L;

    public KeyExpiredException(String message) {
      super(message);
    }
  }

  /** A service with declared exceptions. */
  public interface Signer {
    byte[] sign(byte[] message) throws KeyNotReadyException, IOException;

    void risky() throws IllegalStateException;

    int version();

    /** Runs on the calling side; not remote. */
    default String describe() {
      return "signer v" + version();
    }

    static Signer nothing() {
      return null;
    }

    @Override
    String toString();
  }
}
