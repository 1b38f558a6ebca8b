package dev.cella.enclave.internal;

import dev.cella.Bytes;
import dev.cella.EnclaveException;
import dev.cella.EnclaveIdentity;
import dev.cella.EnclaveLimits;
import dev.cella.EnclaveStatus.Code;
import dev.cella.HostService;
import dev.cella.enclave.EnclaveContext;
import dev.cella.protocol.EvidenceRequest;
import dev.cella.protocol.FrameType;
import dev.cella.protocol.InitMessage;
import dev.cella.protocol.ServiceBinding;
import dev.cella.protocol.codec.CodecLimits;
import dev.cella.protocol.codec.ServiceCodec;
import dev.cella.protocol.services.ServiceProxies;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The {@link EnclaveContext} handed to the application.
 *
 * <p>Thread-safe.
 */
final class RuntimeContext implements EnclaveContext, AutoCloseable {
  private final String enclaveName;
  private final EnclaveIdentity identity;
  private final EnclaveLimits limits;
  private final HostLink host;
  private final ConcurrentMap<Class<?>, Object> hostServices = new ConcurrentHashMap<>();

  RuntimeContext(InitMessage init, HostLink host) {
    this.enclaveName = init.enclaveName();
    this.identity = init.identity();
    this.limits = init.limits();
    this.host = host;
  }

  @Override
  public String enclaveName() {
    return enclaveName;
  }

  @Override
  public EnclaveIdentity identity() {
    return identity;
  }

  @Override
  public EnclaveLimits limits() {
    return limits;
  }

  @Override
  public <T> T host(Class<T> serviceInterface) {
    Objects.requireNonNull(serviceInterface, "serviceInterface");
    Object proxy = hostServices.get(serviceInterface);
    if (proxy == null) {
      proxy = bind(serviceInterface);
      Object raced = hostServices.putIfAbsent(serviceInterface, proxy);
      proxy = raced != null ? raced : proxy;
    }
    return serviceInterface.cast(proxy);
  }

  private <T> T bind(Class<T> serviceInterface) {
    if (!serviceInterface.isInterface() || !serviceInterface.isAnnotationPresent(HostService.class)) {
      throw new EnclaveException(Code.INVALID_ARGUMENT, serviceInterface.getName()
          + " is not an interface annotated @dev.cella.HostService");
    }
    ServiceCodec codec = ServiceCodec.of(serviceInterface, CodecLimits.of(limits));
    host.call(FrameType.HOST_BIND,
        new ServiceBinding(codec.interfaceName(), codec.fingerprint()).encode());
    return ServiceProxies.create(serviceInterface, codec, FrameType.HOST_INVOKE, host::callFrame,
        serviceInterface.getSimpleName() + " of the host of enclave '" + enclaveName + "'");
  }

  @Override
  public byte[] evidence(byte[] nonce, byte[] reportData) {
    EvidenceRequest request;
    try {
      request = new EvidenceRequest(Bytes.of(nonce), Bytes.of(reportData));
    } catch (IllegalArgumentException e) {
      throw new EnclaveException(Code.INVALID_ARGUMENT, e.getMessage());
    }
    return host.call(FrameType.PLATFORM_EVIDENCE, request.encode());
  }

  @Override
  public void close() {
    hostServices.clear();
  }
}
