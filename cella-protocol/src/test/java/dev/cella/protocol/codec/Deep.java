package dev.cella.protocol.codec;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Exact structural comparison for the round-trip tests: byte arrays by content, floating point by
 * raw bits (every NaN and the sign of zero), records component by component, and collections and
 * maps in iteration order, so that a decoder that reorders fails too.
 */
final class Deep {
  private Deep() {}

  /** Null if {@code a} and {@code b} are exactly the same value, else where they differ. */
  static String difference(Object a, Object b) {
    return difference(a, b, "value");
  }

  private static String difference(Object a, Object b, String at) {
    if (a == null || b == null) {
      return a == b ? null : at + ": " + a + " vs " + b;
    }
    if (a instanceof Float x && b instanceof Float y) {
      return Float.floatToRawIntBits(x) == Float.floatToRawIntBits(y) ? null : at + ": " + x + " vs " + y;
    }
    if (a instanceof Double x && b instanceof Double y) {
      return Double.doubleToRawLongBits(x) == Double.doubleToRawLongBits(y)
          ? null : at + ": " + x + " vs " + y;
    }
    if (a instanceof byte[] x && b instanceof byte[] y) {
      return Arrays.equals(x, y) ? null : at + ": byte arrays differ";
    }
    if (a instanceof Object[] x && b instanceof Object[] y) {
      return sequence(Arrays.asList(x), Arrays.asList(y), at);
    }
    if (a instanceof Optional<?> x && b instanceof Optional<?> y) {
      return x.isPresent() != y.isPresent()
          ? at + ": " + x + " vs " + y
          : x.isEmpty() ? null : difference(x.get(), y.get(), at + ".get()");
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      return sequence(x, y, at);
    }
    if (a instanceof Set<?> x && b instanceof Set<?> y) {
      return sequence(List.copyOf(x), List.copyOf(y), at);
    }
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      String keys = sequence(List.copyOf(x.keySet()), List.copyOf(y.keySet()), at + ".keys");
      return keys != null ? keys : sequence(List.copyOf(x.values()), List.copyOf(y.values()), at + ".values");
    }
    if (a.getClass().isRecord() && b.getClass().isRecord()) {
      if (!a.getClass().getName().equals(b.getClass().getName())) {
        return at + ": " + a.getClass() + " vs " + b.getClass();
      }
      RecordComponent[] ca = a.getClass().getRecordComponents();
      RecordComponent[] cb = b.getClass().getRecordComponents();
      for (int i = 0; i < ca.length; i++) {
        String d = difference(get(ca[i], a), get(cb[i], b), at + "." + ca[i].getName());
        if (d != null) {
          return d;
        }
      }
      return null;
    }
    if (a instanceof Enum<?> x && b instanceof Enum<?> y) {
      return x.name().equals(y.name()) ? null : at + ": " + x.name() + " vs " + y.name();
    }
    return a.equals(b) ? null : at + ": " + a + " vs " + b;
  }

  private static String sequence(List<?> a, List<?> b, String at) {
    if (a.size() != b.size()) {
      return at + ": size " + a.size() + " vs " + b.size();
    }
    Iterator<?> ib = b.iterator();
    int i = 0;
    for (Object x : a) {
      String d = difference(x, ib.next(), at + "[" + i++ + "]");
      if (d != null) {
        return d;
      }
    }
    return null;
  }

  private static Object get(RecordComponent c, Object record) {
    try {
      return c.getAccessor().invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
