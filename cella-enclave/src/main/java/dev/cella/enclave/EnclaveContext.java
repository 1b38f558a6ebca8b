package dev.cella.enclave;

import dev.cella.EnclaveIdentity;
import dev.cella.EnclaveLimits;

/**
 * What the enclave knows of itself and what its platform offers it. Handed to {@link
 * TrustedApplication#initialize}; valid for the enclave's whole life.
 *
 * <p>Thread-safe.
 */
public interface EnclaveContext {

  /** The name the host loaded the enclave under. Chosen by the host: not a security claim. */
  String enclaveName();

  /** The identity the platform measured for this enclave. */
  EnclaveIdentity identity();

  /** The limits of the enclave's manifest. */
  EnclaveLimits limits();
}
