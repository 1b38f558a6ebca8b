package dev.cella.protocol.codec.internal;

import java.util.Optional;

/** {@code Optional<T>}: a flag byte (0 empty, 1 present) and, if present, the value. */
final class OptionalCodec extends ElementCodec {
  OptionalCodec(ValueCodec element) {
    super(Optional.class, element);
  }

  @Override
  public void write(Writer out, Object value, int depth) {
    if (!(value instanceof Optional<?> optional)) {
      throw wrongType(value);
    }
    int inner = out.enter(depth);
    if (optional.isEmpty()) {
      out.put(0);
    } else {
      out.put(1);
      element.write(out, optional.get(), inner);
    }
  }

  @Override
  public Object read(Reader in, int depth) {
    int inner = in.enter(depth);
    return in.getFlag("optional") ? Optional.of(element.read(in, inner)) : Optional.empty();
  }
}
