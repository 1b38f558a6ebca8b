package dev.cella.protocol.services;

import dev.cella.protocol.FrameType;
import dev.cella.protocol.Invocation;
import dev.cella.protocol.codec.MethodCodec;
import dev.cella.protocol.codec.ServiceCodec;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
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
  private ServiceProxies() {}

  /**
   * A proxy of {@code codec}'s interface whose remote methods send an {@code type} frame through
   * {@code transport} (which returns the payload of the answer: the encoded outcome). Default
   * methods run locally; {@code equals}, {@code hashCode} and {@code toString} are the proxy's own.
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

  private record Handler(ServiceCodec codec, FrameType type, UnaryOperator<byte[]> transport,
      String description) implements InvocationHandler {
    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
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
      MethodCodec remote = codec.method(method);
      byte[] frame = new Invocation(codec.interfaceName(), remote.id(),
          remote.encodeArguments(args)).toFrame(type);
      return remote.decodeOutcome(transport.apply(frame));
    }
  }
}
