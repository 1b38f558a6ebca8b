package dev.cella.protocol.codec.internal;

import static java.lang.constant.ConstantDescs.CD_Object;
import static java.lang.constant.ConstantDescs.CD_String;
import static java.lang.constant.ConstantDescs.CD_boolean;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_void;

import java.lang.classfile.ClassBuilder;
import java.lang.classfile.ClassFile;
import java.lang.classfile.CodeBuilder;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.DynamicConstantDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The components of one record type, written and read by code generated for that type: each
 * accessor, each component's codec and the canonical constructor are constants of a hidden class
 * (its class data), so the JIT inlines the accessors and the constructor and calls each
 * component's codec directly, where a loop over arrays of method handles and codecs makes one
 * indirect call per component. The generated code only calls the method handles and codecs it is
 * given; it names no class of the application.
 *
 * <p>Instances are immutable and thread-safe.
 */
abstract class RecordShape {
  /** Records with more components than this keep the general path (a JVM call takes ≤ 255). */
  static final int MAX_COMPONENTS = 64;

  static final ClassDesc CD_WRITER = ClassDesc.of(Writer.class.getName());
  static final ClassDesc CD_READER = ClassDesc.of(Reader.class.getName());
  static final ClassDesc CD_CODEC = ClassDesc.of(ValueCodec.class.getName());
  static final ClassDesc CD_HANDLE = ClassDesc.of(MethodHandle.class.getName());
  private static final MethodTypeDesc MT_WRITE =
      MethodTypeDesc.of(CD_void, CD_WRITER, CD_Object, CD_int);
  static final MethodTypeDesc MT_READ = MethodTypeDesc.of(CD_Object, CD_READER, CD_int);
  private static final MethodTypeDesc MT_ACCESS = MethodTypeDesc.of(CD_Object, CD_Object);

  /** Writes every component of {@code record} (of the shape's type) at nesting {@code inner}. */
  abstract void write(Writer out, Object record, int inner);

  /** Reads every component at nesting {@code inner} and returns the constructed record. */
  abstract Object read(Reader in, int inner);

  /**
   * Generates the shape of a record with these accessors ({@code (Object)Object} each, failures
   * already turned into {@code CodecException}s), component slots, and canonical constructor
   * ({@code (Object...)Object} with one parameter per component, likewise).
   */
  static RecordShape generate(MethodHandle[] accessors, Slot[] slots, MethodHandle constructor) {
    int n = slots.length;
    if (n == 0 || n > MAX_COMPONENTS || accessors.length != n) {
      throw new IllegalArgumentException("a shape has 1 to " + MAX_COMPONENTS + " components");
    }
    // Class data: accessors 0..n-1, codecs n..2n-1, constructor 2n.
    byte[] bytes = subclass(RecordShape.class, cls -> cls
        .withMethodBody("write", MT_WRITE, ClassFile.ACC_FINAL,
            code -> writeBody(code, slots, n))
        .withMethodBody("read", MT_READ, ClassFile.ACC_FINAL,
            code -> readBody(code, slots, n)));
    return (RecordShape) instantiate(bytes, classData(accessors, slots, constructor));
  }

  /**
   * The bytes of a final class {@code Generated<Name>} extending {@code base} (which has a
   * no-argument constructor), with a public no-argument constructor and {@code methods}.
   */
  static byte[] subclass(Class<?> base, Consumer<ClassBuilder> methods) {
    ClassDesc superclass = ClassDesc.of(base.getName());
    ClassDesc self = ClassDesc.of(base.getPackageName() + ".Generated" + base.getSimpleName());
    return ClassFile.of().build(self, cls -> {
      cls.withSuperclass(superclass)
          .withFlags(ClassFile.ACC_FINAL | ClassFile.ACC_SYNTHETIC)
          .withMethodBody(ConstantDescs.INIT_NAME, ConstantDescs.MTD_void, ClassFile.ACC_PUBLIC,
              code -> code.aload(0)
                  .invokespecial(superclass, ConstantDescs.INIT_NAME, ConstantDescs.MTD_void)
                  .return_());
      methods.accept(cls);
    });
  }

  static DynamicConstantDesc<Object> dataAt(int index, ClassDesc type) {
    return DynamicConstantDesc.ofNamed(ConstantDescs.BSM_CLASS_DATA_AT,
        ConstantDescs.DEFAULT_NAME, type, index);
  }

  // write(Writer out = 1, Object record = 2, int inner = 3); local 4 holds each value.
  private static void writeBody(CodeBuilder code, Slot[] slots, int n) {
    for (int i = 0; i < n; i++) {
      code.ldc(dataAt(i, CD_HANDLE)).aload(2)
          .invokevirtual(CD_HANDLE, "invokeExact", MT_ACCESS)
          .astore(4);
      if (slots[i].isPrimitive()) {
        writeValue(code, n + i);
      } else {
        int codecIndex = n + i;
        code.aload(4).ifThenElse(java.lang.classfile.Opcode.IFNONNULL,
            present -> {
              present.aload(1).iconst_1()
                  .invokevirtual(CD_WRITER, "put", MethodTypeDesc.of(CD_void, CD_int));
              writeValue(present, codecIndex);
            },
            absent -> absent.aload(1).iconst_0()
                .invokevirtual(CD_WRITER, "put", MethodTypeDesc.of(CD_void, CD_int)));
      }
    }
    code.return_();
  }

  private static void writeValue(CodeBuilder code, int codecIndex) {
    code.ldc(dataAt(codecIndex, CD_CODEC)).aload(1).aload(4).iload(3)
        .invokevirtual(CD_CODEC, "write", MT_WRITE);
  }

  // read(Reader in = 1, int inner = 2): the constructor, then each value, then the call.
  private static void readBody(CodeBuilder code, Slot[] slots, int n) {
    code.ldc(dataAt(2 * n, CD_HANDLE));
    readValues(code, slots, n, 1, inner -> inner.iload(2));
    ClassDesc[] params = new ClassDesc[n];
    Arrays.fill(params, CD_Object);
    code.invokevirtual(CD_HANDLE, "invokeExact", MethodTypeDesc.of(CD_Object, params))
        .areturn();
  }

  /**
   * Pushes the value of each slot, read with the codec at class-data index {@code n + i} from
   * the reader in local {@code reader}, at the depth {@code depth} pushes.
   */
  static void readValues(CodeBuilder code, Slot[] slots, int n, int reader,
      Consumer<CodeBuilder> depth) {
    for (int i = 0; i < slots.length; i++) {
      int codecIndex = n + i;
      if (slots[i].isPrimitive()) {
        readValue(code, codecIndex, reader, depth);
      } else {
        code.aload(reader).ldc("presence")
            .invokevirtual(CD_READER, "getFlag", MethodTypeDesc.of(CD_boolean, CD_String))
            .ifThenElse(present -> readValue(present, codecIndex, reader, depth),
                absent -> absent.aconst_null());
      }
    }
  }

  private static void readValue(CodeBuilder code, int codecIndex, int reader,
      Consumer<CodeBuilder> depth) {
    code.ldc(dataAt(codecIndex, CD_CODEC)).aload(reader);
    depth.accept(code);
    code.invokevirtual(CD_CODEC, "read", MT_READ);
  }

  /** The class data of a shape: each value, then each slot's codec, then {@code last}. */
  static List<Object> classData(MethodHandle[] first, Slot[] slots, MethodHandle last) {
    List<Object> data = new ArrayList<>(Arrays.asList(first));
    for (Slot s : slots) {
      data.add(s.codec());
    }
    data.add(last);
    return List.copyOf(data);
  }

  /** Defines the hidden class {@code bytes} with {@code data} and returns its new instance. */
  static Object instantiate(byte[] bytes, List<Object> data) {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup()
          .defineHiddenClassWithClassData(bytes, data, true);
      return lookup.findConstructor(lookup.lookupClass(),
          java.lang.invoke.MethodType.methodType(void.class)).invoke();
    } catch (Throwable t) {
      throw new IllegalStateException("generating the codec's code failed", t);
    }
  }
}
