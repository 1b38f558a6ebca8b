package dev.cella.enclave.internal;

import dev.cella.EnclaveException;
import dev.cella.EnclaveService;
import dev.cella.EnclaveStatus.Code;
import dev.cella.enclave.TrustedApplication;
import dev.cella.enclave.EnclaveContext;
import dev.cella.enclave.internal.channel.ChannelHub;
import dev.cella.protocol.Frames;
import dev.cella.protocol.InitMessage;
import dev.cella.protocol.ServiceBinding;
import dev.cella.protocol.codec.CodecLimits;
import dev.cella.protocol.codec.ServiceCodec;
import dev.cella.protocol.services.ServiceRegistry;
import dev.cella.protocol.ProgramMessages;
import dev.cella.enclave.internal.program.ProgramRun;
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
  private final ServiceRegistry services;
  private final int maxFrameBytes;
  private final ClassLoader loader;
  private final boolean hasServices;
  private final HostLink host;
  private final java.util.concurrent.atomic.AtomicBoolean programStarted =
      new java.util.concurrent.atomic.AtomicBoolean();

  private Application(TrustedApplication trusted, RuntimeContext context,
      ServiceRegistry services, int maxFrameBytes, ClassLoader loader, HostLink host,
      boolean hasServices) {
    this.loader = loader;
    this.host = host;
    this.hasServices = hasServices;
    this.trusted = trusted;
    this.context = context;
    this.services = services;
    this.maxFrameBytes = maxFrameBytes;
  }

  static Application start(InitMessage init, HostLink host, ChannelHub channels,
      ClassLoader loader) {
    RuntimeContext context = new RuntimeContext(init, host, channels);
    TrustedApplication trusted = null;
    if (!init.entryClass().isEmpty()) {
      trusted = instantiate(loader, init.entryClass(), TrustedApplication.class, null);
    }
    ServiceRegistry services = services(init, loader, context);
    Application application =
        new Application(trusted, context, services, init.limits().maxFrameBytes(), loader, host,
        !init.services().isEmpty());
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

  /**
   * The enclave's services, which serve {@code INVOKE} frames ({@link ServiceRegistry#serve}):
   * the runtime calls them straight, not through a method here, to keep a typed call's chain short.
   */
  ServiceRegistry services() {
    return services;
  }

  byte[] bind(byte[] frame) {
    services.bind(ServiceBinding.decode(Frames.payload(frame)));
    return new byte[0];
  }

  /**
   * Runs the application bundle's program (application mode) once, and answers how it ended;
   * a program that calls {@code System.exit} never answers (the host learns its status from a
   * {@code PROGRAM_EXIT} host call).
   */
  byte[] runProgram(byte[] frame, boolean ownsJvm) {
    if (trusted != null || hasServices) {
      throw new EnclaveException(Code.FAILED_PRECONDITION,
          "this bundle is not an application bundle: it has no program to start");
    }
    if (!programStarted.compareAndSet(false, true)) {
      throw new EnclaveException(Code.FAILED_PRECONDITION, "the program has already been started");
    }
    ProgramMessages.Start start = ProgramMessages.Start.decode(Frames.payload(frame));
    return ProgramRun.run(start, loader, host::call, ownsJvm, context::mountFileSystem).encode();
  }

  /**
   * The bundle's services: each interface must be annotated {@link EnclaveService}, each
   * implementation constructible with an {@link EnclaveContext} or with no argument, and every
   * method's types must cross the boundary — else initialization fails, naming what is wrong.
   */
  private static ServiceRegistry services(InitMessage init, ClassLoader loader,
      EnclaveContext context) {
    ServiceRegistry.Builder registry =
        ServiceRegistry.builder("enclave '" + init.enclaveName() + "'");
    for (InitMessage.ServiceEntry entry : init.services()) {
      Class<?> iface = load(loader, entry.interfaceName());
      if (!iface.isInterface() || !iface.isAnnotationPresent(EnclaveService.class)) {
        throw new EnclaveException(Code.FAILED_PRECONDITION, "service " + entry.interfaceName()
            + " must be an interface annotated @dev.cella.EnclaveService");
      }
      ServiceCodec codec = ServiceCodec.of(iface, CodecLimits.of(init.limits()));
      registry.add(codec, instantiate(loader, entry.implementationName(), iface, context));
    }
    return registry.build();
  }

  private static Class<?> load(ClassLoader loader, String className) {
    try {
      return Class.forName(className, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new EnclaveException(Code.FAILED_PRECONDITION,
          "class " + className + " is not in the bundle (" + e.getClass().getSimpleName() + ")");
    }
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

  /**
   * Loads and constructs a class of the bundle, with messages that say what the bundle lacks.
   * With a context, a public constructor taking an {@link EnclaveContext} is preferred.
   */
  static <T> T instantiate(ClassLoader loader, String className, Class<T> type,
      EnclaveContext contextOrNull) {
    Class<?> found = load(loader, className);
    if (!type.isAssignableFrom(found)) {
      throw new EnclaveException(Code.FAILED_PRECONDITION,
          "class " + className + " does not implement " + type.getName());
    }
    if (Modifier.isAbstract(found.getModifiers()) || !Modifier.isPublic(found.getModifiers())) {
      throw new EnclaveException(Code.FAILED_PRECONDITION,
          "class " + className + " must be a public, non-abstract class");
    }
    Constructor<?> constructor = null;
    Object[] arguments = new Object[0];
    if (contextOrNull != null) {
      try {
        constructor = found.getConstructor(EnclaveContext.class);
        arguments = new Object[] {contextOrNull};
      } catch (NoSuchMethodException e) {
        // Fall back to the no-argument constructor.
      }
    }
    if (constructor == null) {
      try {
        constructor = found.getConstructor();
      } catch (NoSuchMethodException e) {
        throw new EnclaveException(Code.FAILED_PRECONDITION, "class " + className
            + " needs a public no-argument constructor"
            + (contextOrNull != null ? " or one taking an EnclaveContext" : ""));
      }
    }
    try {
      return type.cast(constructor.newInstance(arguments));
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
