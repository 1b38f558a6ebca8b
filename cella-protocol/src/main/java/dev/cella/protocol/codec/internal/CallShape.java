package dev.cella.protocol.codec.internal;

import static java.lang.constant.ConstantDescs.CD_Object;
import static java.lang.constant.ConstantDescs.CD_void;

import java.lang.classfile.ClassFile;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;

/**
 * The implementing side of one remote method, in code generated for it: it reads each argument
 * with its parameter's codec, checks that the message ends there, and calls the implementation
 * with the arguments as they were read, through a constant method handle (no argument array, no
 * spreading), so the JIT can inline the whole call. See {@link RecordShape} for the technique.
 *
 * <p>Instances are immutable and thread-safe.
 */
public abstract class CallShape {
  /** Methods with more parameters than this keep the general path. */
  public static final int MAX_PARAMETERS = 64;

  private static final MethodTypeDesc MT_CALL =
      MethodTypeDesc.of(CD_Object, CD_Object, RecordShape.CD_READER);
  private static final MethodHandle FAILED;

  static {
    try {
      FAILED = MethodHandles.lookup().findStatic(CallShape.class, "failed",
          MethodType.methodType(Object.class, Throwable.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** What the implementation threw, kept apart from the codec's own failures to read. */
  public static final class ImplementationFailure extends RuntimeException {
    private static final long serialVersionUID = 1;

    ImplementationFailure(Throwable cause) {
      super(null, cause, false, false);
    }
  }

  /**
   * Reads the arguments from {@code in} (positioned after the version byte), checks the end of
   * the message, and calls {@code implementation} with them.
   *
   * @return the implementation's result, boxed ({@code null} for {@code void})
   * @throws dev.cella.protocol.codec.CodecException if the arguments are malformed (the
   *     implementation is then not called)
   * @throws ImplementationFailure carrying whatever the implementation threw
   */
  public abstract Object call(Object implementation, Reader in);

  /**
   * Generates the call shape of a method with these parameter slots that calls {@code target}, an
   * {@code (Object, Object...)Object} handle (the implementation, then one argument per slot).
   */
  public static CallShape generate(MethodHandle target, Slot[] parameters) {
    int n = parameters.length;
    if (n > MAX_PARAMETERS || target.type().parameterCount() != n + 1) {
      throw new IllegalArgumentException("a call shape has at most " + MAX_PARAMETERS
          + " parameters, and the target one more");
    }
    MethodHandle guarded = MethodHandles.catchException(target, Throwable.class,
        MethodHandles.dropArguments(FAILED, 1, target.type().parameterList()));
    ClassDesc[] params = new ClassDesc[n + 1];
    Arrays.fill(params, CD_Object);
    MethodTypeDesc targetType = MethodTypeDesc.of(CD_Object, params);
    // Class data: no values first, codecs 0..n-1, the guarded target n.
    byte[] bytes = RecordShape.subclass(CallShape.class, cls -> cls
        // call(Object implementation = 1, Reader in = 2)
        .withMethodBody("call", MT_CALL, ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL, code -> {
          code.ldc(RecordShape.dataAt(n, RecordShape.CD_HANDLE)).aload(1);
          RecordShape.readValues(code, parameters, 0, 2, depth -> depth.iconst_0());
          code.aload(2).invokevirtual(RecordShape.CD_READER, "finish",
              MethodTypeDesc.of(CD_void));
          code.invokevirtual(RecordShape.CD_HANDLE, "invokeExact", targetType).areturn();
        }));
    return (CallShape) RecordShape.instantiate(bytes,
        RecordShape.classData(new MethodHandle[0], parameters, guarded));
  }

  private static Object failed(Throwable t) {
    throw new ImplementationFailure(t);
  }
}
