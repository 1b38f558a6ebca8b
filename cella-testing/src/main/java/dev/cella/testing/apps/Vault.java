package dev.cella.testing.apps;

import dev.cella.EnclaveService;
import java.util.List;
import java.util.Optional;

/** The conformance suite's sealing service: sealing, and the enclave's sealed file system. */
@EnclaveService
public interface Vault {
  /** Seals with the MEASUREMENT or SIGNER policy (by name). */
  byte[] seal(String policy, byte[] plaintext);

  /** Unseals; a refused blob fails with PERMISSION_DENIED naming the reason. */
  byte[] unseal(String policy, byte[] blob);

  /** Writes a file of the default sealed file system. */
  void put(String name, String value);

  Optional<String> get(String name);

  List<String> names();
}
