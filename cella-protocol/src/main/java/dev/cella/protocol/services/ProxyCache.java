package dev.cella.protocol.services;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * One proxy per service interface, bound on first use. Binding crosses the boundary, so it runs
 * outside any lock (two threads may both bind; the first proxy stored wins) — a nested call that
 * binds another interface meanwhile cannot deadlock.
 *
 * <p>Thread-safe.
 */
public final class ProxyCache {
  private final ConcurrentMap<Class<?>, Object> proxies = new ConcurrentHashMap<>();

  /** The proxy of {@code iface}, made by {@code binder} if there is none yet. */
  public <T> T get(Class<T> iface, Function<Class<T>, T> binder) {
    Objects.requireNonNull(iface, "iface");
    Object proxy = proxies.get(iface);
    if (proxy == null) {
      proxy = Objects.requireNonNull(binder.apply(iface), "binder returned null");
      Object raced = proxies.putIfAbsent(iface, proxy);
      proxy = raced != null ? raced : proxy;
    }
    return iface.cast(proxy);
  }

  /** Forgets every proxy. */
  public void clear() {
    proxies.clear();
  }
}
