package dev.cella.protocol.codec.internal;

import dev.cella.protocol.codec.CodecException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code Set<T>}: a varint count and the elements in the set's iteration order. Null elements are
 * refused on encode, duplicates on decode; decoded sets are unmodifiable and keep the order.
 */
final class SetCodec extends ValueCodec {
  private final ValueCodec element;
  private final String descriptor;

  SetCodec(ValueCodec element) {
    this.element = element;
    this.descriptor = "java.util.Set<" + element.descriptor() + ">";
  }

  @Override
  public void write(Writer out, Object value, int depth) {
    if (!(value instanceof Set<?> set)) {
      throw wrongType(value);
    }
    int inner = out.enter(depth);
    int size = set.size();
    out.putVarint(size);
    int written = 0;
    for (Object e : set) {
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
    int count = in.getCount(element.minBytes(), "set");
    if (count == 0) {
      return Set.of();
    }
    LinkedHashSet<Object> set = LinkedHashSet.newLinkedHashSet(count);
    for (int i = 0; i < count; i++) {
      if (!set.add(element.read(in, inner))) {
        throw in.malformed("duplicate element in " + descriptor);
      }
    }
    return Collections.unmodifiableSequencedSet(set);
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
