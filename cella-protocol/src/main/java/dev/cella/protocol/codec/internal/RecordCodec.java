package dev.cella.protocol.codec.internal;

import dev.cella.protocol.codec.CodecException;
import java.lang.invoke.MethodHandle;
import java.util.Map;

/**
 * A record: its components in declaration order, each in its {@link Slot}; a record without
 * components is one zero byte, so that every value takes at least one byte. Values are read
 * through the public accessors and built only through the canonical constructor, with method
 * handles looked up once at derivation.
 *
 * <p>Created empty and {@linkplain #complete completed} by {@link TypeDeriver}, so that a record
 * may contain itself (through a nullable component, a collection or an optional). It is published
 * to other threads only through the final fields of the codec that owns it, after completion.
 */
final class RecordCodec extends ValueCodec {
  private final Class<?> type;
  private final String descriptor;
  private String[] names;
  private Slot[] components;
  private MethodHandle[] accessors; // (Object)Object each
  private MethodHandle constructor; // (Object[])Object
  private int minBytes;

  RecordCodec(Class<?> type, String descriptor) {
    this.type = type;
    this.descriptor = descriptor;
  }

  void complete(String[] names, Slot[] components, MethodHandle[] accessors, MethodHandle ctor) {
    this.names = names;
    this.components = components;
    this.accessors = accessors;
    this.constructor = ctor;
    int sum = 0;
    for (Slot s : components) {
      sum += s.minBytes();
    }
    this.minBytes = Math.max(1, sum);
  }

  @Override
  public void write(Writer out, Object value, int depth) {
    if (value.getClass() != type) {
      throw wrongType(value);
    }
    int inner = out.enter(depth);
    if (components.length == 0) {
      out.put(0);
      return;
    }
    for (int i = 0; i < components.length; i++) {
      components[i].write(out, access(i, value), inner);
    }
  }

  private Object access(int i, Object value) {
    try {
      return (Object) accessors[i].invokeExact(value);
    } catch (Throwable t) {
      throw new CodecException(
          "the accessor " + type.getSimpleName() + "." + names[i] + "() threw "
              + t.getClass().getName(),
          t);
    }
  }

  @Override
  public Object read(Reader in, int depth) {
    int inner = in.enter(depth);
    Object[] values = new Object[components.length];
    if (components.length == 0) {
      if (in.get("empty record") != 0) {
        throw in.malformed("empty record byte not 0");
      }
    }
    for (int i = 0; i < components.length; i++) {
      values[i] = components[i].read(in, inner);
    }
    try {
      return (Object) constructor.invokeExact(values);
    } catch (Throwable t) {
      throw new CodecException(
          "the record " + type.getName() + " refused its decoded components: its constructor threw "
              + t.getClass().getName(),
          t);
    }
  }

  @Override
  public int minBytes() {
    return minBytes;
  }

  @Override
  public String descriptor() {
    return descriptor;
  }

  @Override
  public void define(Map<String, String> definitions) {
    if (definitions.containsKey(descriptor)) {
      return;
    }
    StringBuilder d = new StringBuilder("record {");
    for (int i = 0; i < components.length; i++) {
      d.append(i == 0 ? "" : ",").append(names[i]).append(':').append(components[i].descriptor());
    }
    definitions.put(descriptor, d.append('}').toString());
    for (Slot s : components) {
      s.codec().define(definitions);
    }
  }
}
