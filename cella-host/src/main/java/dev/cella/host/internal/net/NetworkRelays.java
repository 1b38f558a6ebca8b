package dev.cella.host.internal.net;

import dev.cella.BackendInfo;
import dev.cella.EnclaveException;
import dev.cella.EnclaveOptions;
import dev.cella.EnclaveStatus.Code;
import dev.cella.SecurityLevel;
import dev.cella.bundle.Manifest;
import dev.cella.bundle.NetworkGrant;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Which enclaves get a {@link TcpRelay}: those of backends that isolate them ({@link
 * SecurityLevel} above {@code NONE}: process, vm, hardware), whose only network is loopback. Sim
 * runs the enclave in the host's JVM: there is nothing to relay and nothing that could enforce the
 * manifest's network grants, and loading an enclave with grants there says so at WARNING.
 *
 * <p>Thread-safe (stateless).
 */
public final class NetworkRelays {
  private static final System.Logger LOG = System.getLogger(NetworkRelays.class.getName());

  private NetworkRelays() {}

  /** Whether enclaves of {@code backend} have their network relayed. */
  public static boolean relays(BackendInfo backend) {
    return backend.securityLevel() != SecurityLevel.NONE;
  }

  /**
   * The relay of enclave {@code name}; for a backend that does not relay, one that refuses every
   * stream frame (it is never attached).
   *
   * @throws EnclaveException {@code FAILED_PRECONDITION} for listen addresses on such a backend,
   *     {@code INVALID_ARGUMENT} for a listen address whose port is not granted
   */
  public static TcpRelay create(String name, BackendInfo backend, Manifest manifest,
      EnclaveOptions options) {
    List<NetworkGrant> grants = manifest.hostAccess().network();
    int maxFrameBytes = manifest.limits().maxFrameBytes();
    if (relays(backend)) {
      return new TcpRelay(name, grants, options.listenAddresses(), maxFrameBytes);
    }
    if (!options.listenAddresses().isEmpty()) {
      throw new EnclaveException(Code.FAILED_PRECONDITION, "backend '" + backend.name()
          + "' relays no network: the enclave opens its own sockets in the host's network, so"
          + " listen addresses " + options.listenAddresses() + " cannot be honoured");
    }
    if (!grants.isEmpty()) {
      LOG.log(System.Logger.Level.WARNING, "enclave ''{0}'' on backend ''{1}'': its manifest''s"
          + " network grants {2} are NOT enforced; the backend runs it in the host''s JVM, where"
          + " its code uses the host''s network directly, granted or not", name, backend.name(),
          grants.stream().map(NetworkRelays::describe).toList());
    }
    return new TcpRelay(name, List.of(), java.util.Map.of(), maxFrameBytes);
  }

  /** On a backend without relay: the enclave's own socket on loopback, if the port is granted. */
  public static InetSocketAddress simAddress(String name, Manifest manifest, int port) {
    boolean granted = manifest.hostAccess().network().stream()
        .anyMatch(g -> g instanceof NetworkGrant.Listen l && l.port() == port);
    if (!granted) {
      throw new EnclaveException(Code.NOT_FOUND, "enclave '" + name
          + "' has no listen grant on port " + port);
    }
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  private static String describe(NetworkGrant grant) {
    return switch (grant) {
      case NetworkGrant.Connect c -> "connect " + c.target();
      case NetworkGrant.Listen l -> "listen " + l.port();
    };
  }
}
