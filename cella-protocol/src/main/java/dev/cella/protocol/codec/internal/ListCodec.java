package dev.cella.protocol.codec.internal;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * {@code List<T>}: a varint count and the elements in order. Null elements are refused; decoded
 * lists are unmodifiable.
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
    if (count == 0) {
      return List.of();
    }
    Object[] elements = new Object[count];
    for (int i = 0; i < count; i++) {
      elements[i] = element.read(in, inner);
    }
    return Collections.unmodifiableList(Arrays.asList(elements));
  }
}
