package dev.cella.enclave.internal;

import dev.cella.EnclaveIdentity;
import dev.cella.EnclaveLimits;
import dev.cella.enclave.EnclaveContext;
import dev.cella.protocol.InitMessage;

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

  HostLink host() {
    return host;
  }

  @Override
  public void close() {}
}
