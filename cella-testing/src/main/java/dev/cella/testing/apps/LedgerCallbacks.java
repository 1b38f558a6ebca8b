package dev.cella.testing.apps;

import dev.cella.HostService;

/** The host service the conformance suite offers its enclave. */
@HostService
public interface LedgerCallbacks {
  /** Calls back into the enclave's {@link Ledger#descend} with {@code depth}. */
  int descend(int depth);

  long currentTimeMillis();
}
