package dev.cella.protocol.codec.internal;

import dev.cella.protocol.codec.CodecException;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * {@code List<T>}: a varint count and the elements in order. Null elements are refused; decoded
 * lists are unmodifiable.
 */
final class ListCodec extends ValueCodec {
  private final ValueCodec element;
  private final String descriptor;

  ListCodec(ValueCodec element) {
    this.element = element;
    this.descriptor = "java.util.List<" + element.descriptor() + ">";
  }

  @Override
  public void write(Writer out, Object value, int depth) {
    if (!(value instanceof List<?> list)) {
      throw wrongType(value);
    }
    int inner = out.enter(depth);
    int size = list.size();
    out.putVarint(size);
    int written = 0;
    for (Object e : list) {
      if (e == null) {
        throw new CodecException("a " + descriptor + " holds a null element, which cannot cross");
      }
      element.write(out, e, inner);
      written++;
    }
    if (written != size) {
      throw new CodecException("a " + descriptor + " changed its size while being encoded");
    }
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

  @Override
  public int minBytes() {
    return 1;
  }

  @Override
  public String descriptor() {
    return descriptor;
  }

  @Override
  public void define(Map<String, String> definitions) {
    element.define(definitions);
  }
}
