package dev.cella.protocol.codec.internal;

import dev.cella.protocol.codec.CodecException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;

/**
 * The shared part of the codecs of a container of one element type ({@code List<T>}, {@code
 * Set<T>}, {@code Optional<T>}): the element's codec, the descriptor {@code container<element>},
 * the definitions the element brings, and the counted encoding of a collection's elements.
 */
abstract class ElementCodec extends ValueCodec {
  protected final ValueCodec element;
  private final String descriptor;

  ElementCodec(Class<?> container, ValueCodec element) {
    this.element = element;
    this.descriptor = container.getName() + "<" + element.descriptor() + ">";
  }

  /**
   * Writes a varint count and each element of {@code collection} at nesting {@code inner};
   * refuses null elements and a collection whose iteration disagrees with its size.
   */
  protected final void writeElements(Writer out, Collection<?> collection, int inner) {
    int size = collection.size();
    out.putVarint(size);
    int written = 0;
    if (collection instanceof List<?> list && list instanceof RandomAccess) {
      // By index: no iterator to allocate. A list that shrinks meanwhile throws, which the
      // caller reports as INTERNAL, as for any collection that fails while it is encoded.
      for (; written < size; written++) {
        writeElement(out, list.get(written), inner);
      }
      if (list.size() != size) {
        written = -1;
      }
    } else {
      for (Object e : collection) {
        writeElement(out, e, inner);
        written++;
      }
    }
    if (written != size) {
      throw new CodecException("a " + descriptor + " changed its size while being encoded");
    }
  }

  private void writeElement(Writer out, Object e, int inner) {
    if (e == null) {
      throw new CodecException("a " + descriptor + " holds a null element, which cannot cross");
    }
    element.write(out, e, inner);
  }

  @Override
  public final int minBytes() {
    return 1;
  }

  @Override
  public final String descriptor() {
    return descriptor;
  }

  @Override
  public final void define(Map<String, String> definitions) {
    element.define(definitions);
  }
}
