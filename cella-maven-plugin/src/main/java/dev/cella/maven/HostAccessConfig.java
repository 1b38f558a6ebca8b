package dev.cella.maven;

import dev.cella.bundle.FileGrant;
import dev.cella.bundle.HostAccess;
import dev.cella.bundle.NetworkGrant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code <hostAccess>} element of the {@code bundle} goal: what of the host the manifest
 * grants the enclave. Nothing is granted unless listed here.
 *
 * <pre>{@code
 * <hostAccess>
 *   <files>
 *     <file><hostPath>/srv/data</hostPath><enclavePath>/data</enclavePath><mode>sealed</mode></file>
 *   </files>
 *   <connect><target>db.internal:5432</target></connect>
 *   <listen><port>8443</port></listen>
 * </hostAccess>
 * }</pre>
 *
 * <p>A mutable bean that Maven fills from the configuration; not thread-safe.
 */
public final class HostAccessConfig {
  /** The granted files. */
  List<FileGrantConfig> files = new ArrayList<>();
  /** The granted outgoing connections, each {@code host:port} ({@code [v6]:port}). */
  List<String> connect = new ArrayList<>();
  /** The granted listening ports. */
  List<Integer> listen = new ArrayList<>();

  /** An empty configuration: nothing granted. */
  public HostAccessConfig() {}

  /**
   * The grants.
   *
   * @throws IllegalArgumentException naming a malformed or repeated grant
   */
  public HostAccess toHostAccess() {
    List<FileGrant> fileGrants = new ArrayList<>();
    for (FileGrantConfig f : files) {
      fileGrants.add(f.toGrant());
    }
    List<NetworkGrant> network = new ArrayList<>();
    for (String target : connect) {
      network.add(NetworkGrant.Connect.parse(target == null ? null : target.strip()));
    }
    for (Integer port : listen) {
      if (port == null) {
        throw new IllegalArgumentException("an empty <listen> port");
      }
      network.add(new NetworkGrant.Listen(port));
    }
    return new HostAccess(fileGrants, network);
  }
}
