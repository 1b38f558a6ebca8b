package dev.cella.enclave.internal.net;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.bundle.NetworkGrant;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the manifest's network grants mean inside an enclave without a network of its own: the
 * ports whose {@code STREAM_OPEN} the runtime accepts, and for each connect grant the loopback
 * address inside the sandbox where the runtime listens for the program to dial, plus the hosts
 * file that maps granted host names there.
 *
 * <p>Address forms: a host name gets its own address {@code 127.0.0.N} (N from 2, in the order of
 * the grants) named in the hosts file; {@code localhost} and IPv4 loopback literals listen on
 * themselves, {@code ::1} on itself; any other IP literal cannot be reached — only {@code lo}
 * exists inside, and adding an address to it needs {@code CAP_NET_ADMIN} — and is listed in
 * {@link #unreachable()}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param listenPorts the ports of the listen grants
 * @param outbound the connect grants that can be reached inside, each with its inside address
 * @param unreachable the connect grants that cannot be reached inside (non-loopback literals)
 * @param names the host names of the connect grants with their inside addresses, for the hosts file
 */
public record NetworkPlan(Set<Integer> listenPorts, List<Outbound> outbound,
    List<NetworkGrant.Connect> unreachable, Map<String, InetAddress> names) {
  /** No grants. */
  public static final NetworkPlan NONE = new NetworkPlan(Set.of(), List.of(), List.of(), Map.of());

  /**
   * A connect grant and where the program dials it inside.
   *
   * @param grant the manifest's grant, whose host the host side connects to
   * @param inside the loopback address inside the sandbox where the runtime listens
   */
  public record Outbound(NetworkGrant.Connect grant, InetAddress inside) {}

  public NetworkPlan {
    listenPorts = Set.copyOf(listenPorts);
    outbound = List.copyOf(outbound);
    unreachable = List.copyOf(unreachable);
    names = Map.copyOf(names);
  }

  /** The plan for {@code grants}; see {@link #requireNoConflict} for what it cannot serve. */
  public static NetworkPlan of(List<NetworkGrant> grants) {
    Set<Integer> listen = new TreeSet<>();
    List<Outbound> outbound = new ArrayList<>();
    List<NetworkGrant.Connect> unreachable = new ArrayList<>();
    Map<String, InetAddress> names = new LinkedHashMap<>();
    for (NetworkGrant grant : grants) {
      switch (grant) {
        case NetworkGrant.Listen l -> listen.add(l.port());
        case NetworkGrant.Connect c -> {
          InetAddress inside = insideAddress(c.host(), names);
          if (inside == null) {
            unreachable.add(c);
          } else {
            outbound.add(new Outbound(c, inside));
          }
        }
      }
    }
    return new NetworkPlan(listen, outbound, unreachable, names);
  }

  /**
   * Checks that the plan can be served.
   *
   * @throws EnclaveException {@code FAILED_PRECONDITION} when a listen grant and a reachable
   *     connect grant use the same port: inside the sandbox both would listen on it
   */
  public void requireNoConflict() {
    for (Outbound o : outbound) {
      if (listenPorts.contains(o.grant().port())) {
        throw new EnclaveException(Code.FAILED_PRECONDITION, "the manifest grants listening on port "
            + o.grant().port() + " and connecting to " + o.grant().target()
            + ": inside the sandbox both need that port; use another port for one of them");
      }
    }
  }

  /** The hosts file inside the sandbox: localhost, the sandbox's own name, the granted names. */
  public String hostsFile() {
    StringBuilder out = new StringBuilder("127.0.0.1 localhost enclave\n::1 localhost\n");
    names.forEach((name, address) ->
        out.append(address.getHostAddress()).append(' ').append(name).append('\n'));
    return out.toString();
  }

  private static InetAddress insideAddress(String host, Map<String, InetAddress> names) {
    String name = host.toLowerCase(Locale.ROOT);
    if (name.equals("localhost")) {
      return literal(new byte[] {127, 0, 0, 1});
    }
    byte[] ip = IpLiterals.parseOrNull(name);
    if (ip != null) {
      InetAddress address = literal(ip);
      return address.isLoopbackAddress() ? address : null;
    }
    InetAddress known = names.get(name);
    if (known != null) {
      return known;
    }
    int n = 2 + names.size();
    InetAddress assigned = literal(new byte[] {127, 0, (byte) (n >> 8), (byte) n});
    names.put(name, assigned);
    return assigned;
  }

  private static InetAddress literal(byte[] address) {
    try {
      return InetAddress.getByAddress(address);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("not an address length: " + address.length, e);
    }
  }
}
