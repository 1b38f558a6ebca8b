package dev.cella.enclave.internal.runner;

import dev.cella.enclave.internal.net.NetworkPlan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The runner's network set-up inside the sandbox: the relay plan of the manifest it measured (never
 * of what the host claims) and the hosts file that maps the granted host names to the loopback
 * addresses where the relay listens. The JVM resolves names only from that file ({@code
 * jdk.net.hosts.file}), so a name that is not granted is an {@code UnknownHostException}.
 *
 * <p>Thread-safe (stateless).
 */
final class SandboxNetwork {
  /** In the sandbox's private {@code /tmp}. */
  static final Path HOSTS_FILE = Path.of("/tmp/cella-hosts");

  private SandboxNetwork() {}

  /**
   * The plan for the measured manifest, with the hosts file written; no grants when the start is
   * refused (the start gate refuses it). A plan that cannot be served fails initialize.
   */
  static NetworkPlan plan(MeasuredStart measured) {
    NetworkPlan plan = measured.manifest() == null ? NetworkPlan.NONE
        : NetworkPlan.of(measured.manifest().hostAccess().network());
    write(plan);
    return plan;
  }

  private static void write(NetworkPlan plan) {
    try {
      Files.write(HOSTS_FILE, List.of(plan.hostsFile()), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      // Without the file every name lookup fails: closed, not open.
      System.err.println("cella runtime: cannot write " + HOSTS_FILE + ": " + e.getMessage());
    }
  }
}
