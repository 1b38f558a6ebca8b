package dev.cella.protocol.services;

import dev.cella.protocol.FrameType;
import dev.cella.protocol.Frames;
import dev.cella.protocol.Invocation;
import dev.cella.protocol.codec.MethodCodec;
import dev.cella.protocol.codec.ServiceCodec;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Makes the calling side's proxy of a typed service, the same on both sides of the boundary: the
 * host's proxy of an enclave service and the enclave's proxy of a host service differ only in
 * the frame type and in the transport that carries the frame.
 *
 * <p>The proxies are thread-safe.
 */
public final class ServiceProxies {
  private static final MethodHandle APPLY;

  static {
    try {
      APPLY = MethodHandles.publicLookup().findVirtual(UnaryOperator.class, "apply",
          MethodType.methodType(Object.class, Object.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private ServiceProxies() {}

  /**
   * A proxy of {@code codec}'s interface whose remote methods send an {@code type} frame through
   * {@code transport}, which returns the other side's response frame; an {@code ERROR} frame
   * throws its {@code EnclaveException}. Default methods run locally;
   * {@code equals}, {@code hashCode} and {@code toString} are the proxy's own.
   *
   * @param description how {@code toString} names the proxy, e.g. "SignerService in enclave 'signer'"
   */
  public static <T> T create(Class<T> iface, ServiceCodec codec, FrameType type,
      UnaryOperator<byte[]> transport, String description) {
    Objects.requireNonNull(transport, "transport");
    if (codec.type() != iface) {
      throw new IllegalArgumentException("the codec is for " + codec.interfaceName());
    }
    InvocationHandler handler = new Handler(codec, type, transport, description);
    return iface.cast(Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface}, handler));
  }

  /** A remote method with the header of its invocation frames, computed once. */
  private record Remote(Method method, MethodCodec codec, byte[] header) {}

  private static final class Handler implements InvocationHandler {
    /** Enough for any interface written by hand; larger ones use the codec's lookup past it. */
    private static final int MAX_REMEMBERED = 64;

    private final ServiceCodec codec;
    private final FrameType type;
    // transport.apply, (Object)Object, held in a field: see call.
    private final MethodHandle transport;
    private final String description;
    // The proxy class passes the same Method instance for each method on every call: remembered
    // by identity, a lookup is a few reference compares. Copy-on-write; a lost race only
    // recomputes an entry.
    private volatile Remote[] remembered = new Remote[0];

    Handler(ServiceCodec codec, FrameType type, UnaryOperator<byte[]> transport,
        String description) {
      this.codec = codec;
      this.type = type;
      this.transport = APPLY.bindTo(transport);
      this.description = description;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      for (Remote r : remembered) {
        if (r.method() == method) {
          return call(r, args);
        }
      }
      if (method.getDeclaringClass() == Object.class) {
        return switch (method.getName()) {
          case "equals" -> proxy == args[0];
          case "hashCode" -> System.identityHashCode(proxy);
          default -> description;
        };
      }
      if (method.isDefault()) {
        return InvocationHandler.invokeDefault(proxy, method, args);
      }
      return call(remember(method), args);
    }

    private Object call(Remote remote, Object[] args) throws Throwable {
      // The transport through a method handle held in a field, which the JIT does not inline
      // through: the calling side's code (proxy, arguments, outcome) and the transport's (on sim
      // the host's gate, the backend, the enclave runtime down to the serving code's own
      // boundary in MethodCodec.dispatch) are compiled apart, each from its first inlining level.
      // Inlined into one another, the chain ran deeper than the JIT inlines (MaxInlineLevel), and
      // where it was cut depended on which method happened to be compiled first: typed calls
      // took 165 or 250 ns from one JVM to the next. See docs/architecture.md.
      byte[] frame = remote.codec().encodeArguments(remote.header(), args);
      // As Object, the handle's own type: no asType adapter stands in the way.
      byte[] response = Frames.requireOk((byte[]) (Object) transport.invokeExact((Object) frame));
      return remote.codec().decodeOutcome(response, Frames.HEADER,
          response.length - Frames.HEADER);
    }

    private Remote remember(Method method) {
      MethodCodec m = codec.method(method);
      Remote remote = new Remote(method, m,
          Invocation.header(type, codec.interfaceName(), m.id()));
      Remote[] known = remembered;
      if (known.length < MAX_REMEMBERED) {
        Remote[] grown = Arrays.copyOf(known, known.length + 1);
        grown[known.length] = remote;
        remembered = grown;
      }
      return remote;
    }
  }
}
