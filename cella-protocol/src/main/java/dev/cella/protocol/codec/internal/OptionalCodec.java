package dev.cella.protocol.codec.internal;

import java.util.Map;
import java.util.Optional;

/** {@code Optional<T>}: a flag byte (0 empty, 1 present) and, if present, the value. */
final class OptionalCodec extends ValueCodec {
  private final ValueCodec element;
  private final String descriptor;

  OptionalCodec(ValueCodec element) {
    this.element = element;
    this.descriptor = "java.util.Optional<" + element.descriptor() + ">";
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
