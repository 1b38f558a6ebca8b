package dev.cella.protocol.codec.internal;

import java.util.List;

/**
 * {@code List<T>}: a varint count and the elements in order. Null elements are refused; decoded
 * lists are immutable ({@link List#of}).
 */
final class ListCodec extends ElementCodec {
  ListCodec(ValueCodec element) {
    super(List.class, element);
  }

  @Override
  public void write(Writer out, Object value, int depth) {
    if (!(value instanceof List<?> list)) {
      throw wrongType(value);
    }
    writeElements(out, list, out.enter(depth));
  }

  @Override
  public Object read(Reader in, int depth) {
    int inner = in.enter(depth);
    int count = in.getCount(element.minBytes(), "list");
    // Immutable lists of the JDK's List.of, whatever the count: the small ones (the common case)
    // are one object and no array.
    switch (count) {
      case 0:
        return List.of();
      case 1:
        return List.of(element.read(in, inner));
      case 2:
        Object first = element.read(in, inner);
        return List.of(first, element.read(in, inner));
      default:
        Object[] elements = new Object[count];
        for (int i = 0; i < count; i++) {
          elements[i] = element.read(in, inner);
        }
        return List.of(elements);
    }
  }
}
