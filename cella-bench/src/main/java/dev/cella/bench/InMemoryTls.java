package dev.cella.bench;

import java.nio.ByteBuffer;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;

/**
 * A TLS 1.3 handshake between two {@link SSLEngine}s in memory: no sockets, so that a benchmark
 * measures the handshake's own work (key exchange, signatures, certificate checks).
 *
 * <p>Not thread-safe: one per benchmark thread.
 */
final class InMemoryTls {
  private final ByteBuffer toServer = ByteBuffer.allocate(1 << 17);
  private final ByteBuffer toClient = ByteBuffer.allocate(1 << 17);
  private final ByteBuffer app = ByteBuffer.allocate(1 << 17);

  static SSLContext context(KeyManager keys, TrustManager trust) throws Exception {
    SSLContext context = SSLContext.getInstance("TLSv1.3");
    context.init(keys == null ? null : new KeyManager[] {keys},
        trust == null ? null : new TrustManager[] {trust}, null);
    return context;
  }

  /** One full handshake (no resumption: the engines have no peer host). */
  void handshake(SSLContext clientContext, SSLContext serverContext) throws SSLException {
    SSLEngine client = clientContext.createSSLEngine();
    client.setUseClientMode(true);
    SSLEngine server = serverContext.createSSLEngine();
    server.setUseClientMode(false);
    toServer.clear();
    toClient.clear();
    client.beginHandshake();
    server.beginHandshake();
    for (int round = 0; round < 100; round++) {
      step(client, toClient, toServer);
      step(server, toServer, toClient);
      if (idle(client) && idle(server) && toServer.position() == 0) {
        return;
      }
    }
    throw new SSLException("the handshake did not finish");
  }

  private static boolean idle(SSLEngine engine) {
    HandshakeStatus s = engine.getHandshakeStatus();
    return s == HandshakeStatus.NOT_HANDSHAKING || s == HandshakeStatus.FINISHED;
  }

  private void step(SSLEngine engine, ByteBuffer in, ByteBuffer out) throws SSLException {
    for (int i = 0; i < 20; i++) {
      switch (engine.getHandshakeStatus()) {
        case NEED_TASK -> {
          Runnable task;
          while ((task = engine.getDelegatedTask()) != null) {
            task.run();
          }
        }
        case NEED_WRAP -> engine.wrap(ByteBuffer.allocate(0), out);
        case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
          in.flip();
          SSLEngineResult r = engine.unwrap(in, app);
          in.compact();
          app.clear();
          if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
            return;
          }
        }
        default -> {
          return;
        }
      }
    }
  }
}
