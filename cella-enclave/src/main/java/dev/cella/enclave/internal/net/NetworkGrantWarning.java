package dev.cella.enclave.internal.net;

import java.util.List;

/**
 * A connect grant the sandbox cannot honour, said once at start: a non-loopback IP literal has no
 * address inside to listen on.
 *
 * @param message the line logged at WARNING
 */
record NetworkGrantWarning(String message) {
  static List<NetworkGrantWarning> of(NetworkPlan plan) {
    return plan.unreachable().stream().map(c -> new NetworkGrantWarning("connect grant "
        + c.target() + " cannot be reached from inside the sandbox: only loopback exists there,"
        + " and listening on another address needs CAP_NET_ADMIN; grant a host name instead"))
        .toList();
  }
}
