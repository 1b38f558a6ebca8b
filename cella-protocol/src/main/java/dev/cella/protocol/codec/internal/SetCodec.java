package dev.cella.protocol.codec.internal;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * {@code Set<T>}: a varint count and the elements in the set's iteration order. Null elements are
 * refused on encode, duplicates on decode; decoded sets are unmodifiable and keep the order.
 */
final class SetCodec extends ElementCodec {
  SetCodec(ValueCodec element) {
    super(Set.class, element);
  }

  @Override
  public void write(Writer out, Object value, int depth) {
    if (!(value instanceof Set<?> set)) {
      throw wrongType(value);
    }
    writeElements(out, set, out.enter(depth));
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
        throw in.malformed("duplicate element in " + descriptor());
      }
    }
    return Collections.unmodifiableSequencedSet(set);
  }
}
