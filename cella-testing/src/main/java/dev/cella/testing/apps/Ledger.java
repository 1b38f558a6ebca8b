package dev.cella.testing.apps;

import dev.cella.EnclaveService;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The conformance suite's enclave service: typed calls with records, collections and failures. */
@EnclaveService
public interface Ledger {
  /** An entry of the ledger. */
  record Entry(String account, long cents, Optional<String> memo, List<String> tags) {}

  /** A page of results. */
  record Page<T>(List<T> items, int total) {}

  /** Thrown when an account has too little. */
  final class InsufficientFundsException extends Exception {
    private static final long serialVersionUID = 1L;

    public InsufficientFundsException(String message) {
      super(message);
    }
  }

  /** Records the entry and returns the account's new balance. */
  long post(Entry entry) throws InsufficientFundsException;

  Map<String, Long> balances();

  Page<Entry> entries(String account);

  /** An empty call, for benchmarks. */
  void ping();

  /** Returns the entry's amount without recording it: a pure call with a small record. */
  long weigh(Entry entry);

  /** Throws an exception that is not declared, whose message must not cross. */
  int explode(String secret);

  /**
   * Host → enclave → host → …: calls the host's {@link LedgerCallbacks#descend} with {@code depth
   * - 1} until it reaches 0, and returns the depth at which it stopped plus the hops taken.
   */
  int descend(int depth);

  /** Asks the host for the time and returns it unchanged: the host's word, for tests. */
  long hostTime();
}
