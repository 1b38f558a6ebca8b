package dev.cella.enclave.internal.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Listens inside the sandbox at the address where the enclave's program dials one connect grant
 * (for example {@code 127.0.0.2:5432} for {@code db.internal:5432}) and hands each connection to
 * the {@link StreamRelay}, which asks the host to connect to the real destination.
 *
 * <p>Thread-safe.
 */
final class OutboundListener {
  private final ServerSocket server;

  private OutboundListener(ServerSocket server) {
    this.server = server;
  }

  static OutboundListener open(NetworkPlan.Outbound outbound, StreamRelay relay)
      throws IOException {
    ServerSocket server = new ServerSocket();
    try {
      server.bind(new InetSocketAddress(outbound.inside(), outbound.grant().port()), 64);
    } catch (IOException e) {
      server.close();
      throw new IOException("cannot listen on " + outbound.inside().getHostAddress() + ":"
          + outbound.grant().port() + " for " + outbound.grant().target() + ": " + e.getMessage(),
          e);
    }
    OutboundListener listener = new OutboundListener(server);
    Thread.ofVirtual().name("cella-connect-" + outbound.grant().target())
        .start(() -> listener.acceptLoop(outbound, relay));
    return listener;
  }

  private void acceptLoop(NetworkPlan.Outbound outbound, StreamRelay relay) {
    while (!server.isClosed()) {
      Socket accepted;
      try {
        accepted = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      Thread.ofVirtual().name("cella-connect-open").start(() -> relay.outbound(accepted, outbound));
    }
  }

  void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // Closed either way.
    }
  }

  /** Breaks an accepted connection at once (RST), so the program's socket fails. */
  static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
      socket.close();
    } catch (IOException ignored) {
      // Closed either way.
    }
  }
}
