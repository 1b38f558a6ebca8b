package dev.cella.protocol.codec.internal;

import dev.cella.protocol.codec.CodecException;

/**
 * A place that holds one value: a parameter, a result or a record component. A primitive slot
 * refuses null and writes its value bare; a reference slot writes a presence byte (0 null, 1
 * present) before the value.
 *
 * <p>Immutable and thread-safe.
 */
public final class Slot {
  private final ValueCodec codec;
  private final boolean primitive;
  private final String descriptor;

  Slot(ValueCodec codec, Class<?> primitiveOrNull) {
    this.codec = codec;
    this.primitive = primitiveOrNull != null;
    this.descriptor = primitive ? primitiveOrNull.getName() : codec.descriptor();
  }

  /** {@code int} for a primitive slot, the type's descriptor otherwise. */
  public String descriptor() {
    return descriptor;
  }

  /** Whether the slot holds a primitive (never null, no presence byte). */
  public boolean isPrimitive() {
    return primitive;
  }

  public ValueCodec codec() {
    return codec;
  }

  /** The fewest bytes this slot takes. */
  public int minBytes() {
    return primitive ? codec.minBytes() : 1;
  }

  public void write(Writer out, Object value, int depth) {
    if (value == null) {
      if (primitive) {
        throw new CodecException("null given for the primitive type " + descriptor);
      }
      out.put(0);
      return;
    }
    if (!primitive) {
      out.put(1);
    }
    codec.write(out, value, depth);
  }

  public Object read(Reader in, int depth) {
    if (!primitive && !in.getFlag("presence")) {
      return null;
    }
    return codec.read(in, depth);
  }
}
