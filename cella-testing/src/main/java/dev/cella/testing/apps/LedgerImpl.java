package dev.cella.testing.apps;

import dev.cella.enclave.EnclaveContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The enclave side of {@link Ledger}. */
public final class LedgerImpl implements Ledger {
  private final EnclaveContext context;
  private final Map<String, Long> balances = new ConcurrentHashMap<>();
  private final List<Entry> entries = new ArrayList<>();

  public LedgerImpl(EnclaveContext context) {
    this.context = context;
  }

  @Override
  public long post(Entry entry) throws InsufficientFundsException {
    synchronized (entries) {
      long balance = balances.getOrDefault(entry.account(), 0L) + entry.cents();
      if (balance < 0) {
        throw new InsufficientFundsException(entry.account() + " would be overdrawn");
      }
      balances.put(entry.account(), balance);
      entries.add(entry);
      return balance;
    }
  }

  @Override
  public Map<String, Long> balances() {
    return new LinkedHashMap<>(balances);
  }

  @Override
  public Page<Entry> entries(String account) {
    synchronized (entries) {
      List<Entry> mine = entries.stream().filter(e -> e.account().equals(account)).toList();
      return new Page<>(mine, mine.size());
    }
  }

  @Override
  public void ping() {}

  @Override
  public long weigh(Entry entry) {
    return entry.cents();
  }

  @Override
  public int explode(String secret) {
    throw new IllegalStateException("the secret is " + secret);
  }

  @Override
  public int descend(int depth) {
    if (depth <= 0) {
      return 0;
    }
    return 1 + context.host(LedgerCallbacks.class).descend(depth - 1);
  }

  @Override
  public long hostTime() {
    return context.host(LedgerCallbacks.class).currentTimeMillis();
  }
}
