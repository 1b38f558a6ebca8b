package dev.cella.enclave.internal.net;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Recognizes IP address literals without any name lookup: {@link InetAddress#getByName} would
 * resolve a name, and inside the sandbox that must not happen while the plan is made.
 *
 * <p>Thread-safe (stateless).
 */
final class IpLiterals {
  private IpLiterals() {}

  /** The address bytes of an IPv4 dotted-quad or IPv6 literal, or null for a host name. */
  static byte[] parseOrNull(String text) {
    if (text.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
      String[] parts = text.split("\\.");
      byte[] out = new byte[4];
      for (int i = 0; i < 4; i++) {
        int v = Integer.parseInt(parts[i]);
        if (v > 255) {
          return null;
        }
        out[i] = (byte) v;
      }
      return out;
    }
    if (text.indexOf(':') >= 0 && text.matches("[0-9a-fA-F:.]+")) {
      try {
        // A literal with a colon is never looked up: getByName parses it.
        return InetAddress.getByName("[" + text + "]").getAddress();
      } catch (UnknownHostException e) {
        return null;
      }
    }
    return null;
  }
}
