package dev.cella.protocol.codec.internal;

import dev.cella.protocol.codec.CodecException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
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
  private static final MethodHandle ACCESSOR_THREW;
  private static final MethodHandle CONSTRUCTOR_THREW;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      ACCESSOR_THREW = lookup.findStatic(RecordCodec.class, "accessorThrew",
          MethodType.methodType(Object.class, String.class, Throwable.class));
      CONSTRUCTOR_THREW = lookup.findStatic(RecordCodec.class, "constructorThrew",
          MethodType.methodType(Object.class, String.class, Throwable.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Class<?> type;
  private final String descriptor;
  private Slot[] slots;
  private String[] names;
  private MethodHandle[] accessors; // (Object)Object each; a failure is a CodecException
  private MethodHandle constructor; // (Object[])Object; a failure is a CodecException
  private RecordShape shapeOrNull; // generated code for 1 to RecordShape.MAX_COMPONENTS components
  private int minBytes;

  RecordCodec(Class<?> type, String descriptor) {
    this.type = type;
    this.descriptor = descriptor;
  }

  /**
   * Completes the codec with the components' names and slots, their accessors ({@code
   * (Object)Object} each) and the canonical constructor ({@code (Object...)Object}, one parameter
   * per component).
   */
  void complete(String[] names, Slot[] slots, MethodHandle[] accessors, MethodHandle ctor) {
    this.names = names;
    this.slots = slots;
    this.accessors = new MethodHandle[accessors.length];
    for (int i = 0; i < accessors.length; i++) {
      String what = "the accessor " + type.getSimpleName() + "." + names[i] + "()";
      this.accessors[i] = MethodHandles.catchException(accessors[i], Throwable.class,
          MethodHandles.dropArguments(ACCESSOR_THREW.bindTo(what), 1, Object.class));
    }
    MethodHandle guarded = MethodHandles.catchException(ctor, Throwable.class,
        MethodHandles.dropArguments(CONSTRUCTOR_THREW.bindTo(type.getName()), 1,
            ctor.type().parameterList()));
    this.constructor = guarded.asSpreader(Object[].class, slots.length);
    if (slots.length > 0 && slots.length <= RecordShape.MAX_COMPONENTS) {
      this.shapeOrNull = RecordShape.generate(this.accessors, slots, guarded);
    }
    int sum = 0;
    for (Slot s : slots) {
      sum += s.minBytes();
    }
    this.minBytes = Math.max(1, sum);
  }

  private static Object accessorThrew(String what, Throwable t) {
    throw new CodecException(what + " threw " + t.getClass().getName(), t);
  }

  private static Object constructorThrew(String type, Throwable t) {
    throw new CodecException("the record " + type
        + " refused its decoded components: its constructor threw " + t.getClass().getName(), t);
  }

  // write and read are kept small, the general path apart, so that the JIT inlines them into the
  // code that reads the record even where it has no profile to call them hot.
  @Override
  public void write(Writer out, Object value, int depth) {
    if (value.getClass() != type) {
      throw wrongType(value);
    }
    RecordShape shape = shapeOrNull;
    if (shape != null) {
      shape.write(out, value, out.enter(depth));
    } else {
      writeComponents(out, value, out.enter(depth));
    }
  }

  private void writeComponents(Writer out, Object value, int inner) {
    if (slots.length == 0) {
      out.put(0);
      return;
    }
    for (int i = 0; i < slots.length; i++) {
      slots[i].write(out, invoke(accessors[i], value), inner);
    }
  }

  private static Object invoke(MethodHandle accessor, Object value) {
    try {
      return (Object) accessor.invokeExact(value);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new AssertionError("the guarded accessor threw a checked exception", t);
    }
  }

  @Override
  public Object read(Reader in, int depth) {
    int inner = in.enter(depth);
    RecordShape shape = shapeOrNull;
    return shape != null ? shape.read(in, inner) : readComponents(in, inner);
  }

  private Object readComponents(Reader in, int inner) {
    Object[] values = new Object[slots.length];
    if (slots.length == 0) {
      if (in.get("empty record") != 0) {
        throw in.malformed("empty record byte not 0");
      }
    }
    for (int i = 0; i < slots.length; i++) {
      values[i] = slots[i].read(in, inner);
    }
    try {
      return (Object) constructor.invokeExact(values);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new AssertionError("the guarded constructor threw a checked exception", t);
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
    for (int i = 0; i < slots.length; i++) {
      d.append(i == 0 ? "" : ",").append(names[i]).append(':').append(slots[i].descriptor());
    }
    definitions.put(descriptor, d.append('}').toString());
    for (Slot s : slots) {
      s.codec().define(definitions);
    }
  }
}
