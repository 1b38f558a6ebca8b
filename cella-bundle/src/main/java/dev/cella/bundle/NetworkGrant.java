package dev.cella.bundle;

import dev.cella.bundle.internal.Names;

/**
 * A network permission the manifest grants the enclave: connecting out to one host and port, or
 * listening on one port. Part of {@link HostAccess}; the manifest only records it, backends decide
 * how to enforce it.
 *
 * <p>Example: {@code new NetworkGrant.Connect("db.internal", 5432)}, {@code new
 * NetworkGrant.Listen(8443)}.
 *
 * <p>Immutable and thread-safe.
 */
public sealed interface NetworkGrant {

  /**
   * Connecting to {@code host:port}.
   *
   * @param host a DNS name, an IPv4 address or a bracket-free IPv6 address
   * @param port 1 to 65535
   */
  record Connect(String host, int port) implements NetworkGrant {
    public Connect {
      Names.checkHost(host);
      Names.checkPort("connect port", port);
    }

    /** The manifest form, {@code host:port} ({@code [v6]:port} for IPv6). */
    public String target() {
      return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** Parses the manifest form {@code host:port} or {@code [v6]:port}. */
    public static Connect parse(String target) {
      if (target == null) {
        throw new IllegalArgumentException("connect target is required (host:port)");
      }
      int colon = target.lastIndexOf(':');
      if (colon <= 0 || colon == target.length() - 1) {
        throw new IllegalArgumentException("connect target must be host:port, got '" + target + "'");
      }
      String host = target.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
        if (host.indexOf(':') < 0) {
          throw new IllegalArgumentException("brackets are only for IPv6 addresses: '" + target + "'");
        }
      } else if (host.indexOf(':') >= 0) {
        throw new IllegalArgumentException("write an IPv6 target as [address]:port: '" + target + "'");
      }
      String digits = target.substring(colon + 1);
      if (!digits.matches("[0-9]{1,5}")) {
        throw new IllegalArgumentException("connect port must be 1 to 65535, got '" + digits + "'");
      }
      return new Connect(host, Integer.parseInt(digits));
    }
  }

  /**
   * Listening on {@code port}.
   *
   * @param port 1 to 65535
   */
  record Listen(int port) implements NetworkGrant {
    public Listen {
      Names.checkPort("listen port", port);
    }
  }
}
