package dev.cella.enclave.internal;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.enclave.TrustedApplication;
import dev.cella.protocol.InitMessage;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;

/**
 * The started application inside the runtime: the bundle's {@link TrustedApplication} (if it has
 * one) and its context. Created once at initialization.
 *
 * <p>Thread-safe.
 */
final class Application implements AutoCloseable {
  private final TrustedApplication trusted;
  private final RuntimeContext context;
  private final int maxFrameBytes;

  private Application(TrustedApplication trusted, RuntimeContext context, int maxFrameBytes) {
    this.trusted = trusted;
    this.context = context;
    this.maxFrameBytes = maxFrameBytes;
  }

  static Application start(InitMessage init, HostLink host, ClassLoader loader) {
    RuntimeContext context = new RuntimeContext(init, host);
    TrustedApplication trusted = null;
    if (!init.entryClass().isEmpty()) {
      trusted = instantiate(loader, init.entryClass(), TrustedApplication.class);
    }
    Application application = new Application(trusted, context, init.limits().maxFrameBytes());
    if (trusted != null) {
      trusted.initialize(context, init.config());
    }
    return application;
  }

  byte[] run(byte[] input) {
    if (trusted == null) {
      throw new EnclaveException(Code.UNIMPLEMENTED,
          "the bundle has no entry class (TrustedApplication), only services");
    }
    return checked(trusted.run(input), "run");
  }

  byte[] finish(byte[] input) {
    return trusted == null ? new byte[0] : checked(trusted.finish(input), "finish");
  }

  byte[] invoke(byte[] frame) {
    throw new EnclaveException(Code.UNIMPLEMENTED, "this enclave runtime has no typed services");
  }

  byte[] bind(byte[] frame) {
    throw new EnclaveException(Code.UNIMPLEMENTED, "this enclave runtime has no typed services");
  }

  @Override
  public void close() {
    context.close();
  }

  private byte[] checked(byte[] output, String what) {
    if (output == null) {
      throw new EnclaveException(Code.INTERNAL, "the application's " + what + " returned null");
    }
    if (output.length > maxFrameBytes - 16) {
      throw new EnclaveException(Code.RESOURCE_EXHAUSTED, "the application's " + what
          + " returned " + output.length + " bytes, more than the frame limit " + maxFrameBytes);
    }
    return output;
  }

  /** Loads and constructs a class of the bundle, with messages that say what the bundle lacks. */
  static <T> T instantiate(ClassLoader loader, String className, Class<T> type) {
    Class<?> found;
    try {
      found = Class.forName(className, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new EnclaveException(Code.FAILED_PRECONDITION,
          "class " + className + " is not in the bundle (" + e.getClass().getSimpleName() + ")");
    }
    if (!type.isAssignableFrom(found)) {
      throw new EnclaveException(Code.FAILED_PRECONDITION,
          "class " + className + " does not implement " + type.getName());
    }
    if (Modifier.isAbstract(found.getModifiers()) || !Modifier.isPublic(found.getModifiers())) {
      throw new EnclaveException(Code.FAILED_PRECONDITION,
          "class " + className + " must be a public, non-abstract class");
    }
    Constructor<?> constructor;
    try {
      constructor = found.getConstructor();
    } catch (NoSuchMethodException e) {
      throw new EnclaveException(Code.FAILED_PRECONDITION,
          "class " + className + " needs a public no-argument constructor");
    }
    try {
      return type.cast(constructor.newInstance());
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof EnclaveException ee) {
        throw ee;
      }
      throw new EnclaveException(Code.INTERNAL, "constructing " + className + " failed: "
          + EnclaveRuntime.failureMessage(cause == null ? e : cause));
    } catch (ReflectiveOperationException e) {
      throw new EnclaveException(Code.FAILED_PRECONDITION,
          "class " + className + " cannot be constructed: " + e.getClass().getSimpleName());
    }
  }
}
