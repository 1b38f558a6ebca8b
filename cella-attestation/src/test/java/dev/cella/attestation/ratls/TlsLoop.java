package dev.cella.attestation.ratls;

import java.nio.ByteBuffer;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;

/** Two SSLEngines handshaking in memory, for tests: at most 200 rounds, no threads, no sockets. */
final class TlsLoop {
  final SSLEngine client;
  final SSLEngine server;

  TlsLoop(KeyManager clientKeys, TrustManager clientTrust, KeyManager serverKeys,
      TrustManager serverTrust, boolean needClientAuth) throws Exception {
    client = context(clientKeys, clientTrust).createSSLEngine("peer", 443);
    client.setUseClientMode(true);
    server = context(serverKeys, serverTrust).createSSLEngine();
    server.setUseClientMode(false);
    server.setNeedClientAuth(needClientAuth);
  }

  static SSLContext context(KeyManager keys, TrustManager trust) throws Exception {
    SSLContext context = SSLContext.getInstance("TLSv1.3");
    context.init(keys == null ? null : new KeyManager[] {keys},
        trust == null ? null : new TrustManager[] {trust}, null);
    return context;
  }

  /** Runs the handshake to its end; throws the first engine's failure. */
  void handshake() throws SSLException {
    ByteBuffer toServer = ByteBuffer.allocate(1 << 17);
    ByteBuffer toClient = ByteBuffer.allocate(1 << 17);
    ByteBuffer app = ByteBuffer.allocate(1 << 17);
    client.beginHandshake();
    server.beginHandshake();
    for (int round = 0; round < 200; round++) {
      step(client, toClient, toServer, app);
      step(server, toServer, toClient, app);
      if (done(client) && done(server) && toServer.position() == 0 && toClient.position() == 0) {
        return;
      }
    }
    throw new SSLException("the handshake did not finish in 200 rounds: client "
        + client.getHandshakeStatus() + ", server " + server.getHandshakeStatus() + ", buffered "
        + toServer.position() + "/" + toClient.position());
  }

  private static boolean done(SSLEngine engine) {
    HandshakeStatus status = engine.getHandshakeStatus();
    return status == HandshakeStatus.FINISHED || status == HandshakeStatus.NOT_HANDSHAKING;
  }

  private static void step(SSLEngine engine, ByteBuffer in, ByteBuffer out, ByteBuffer app)
      throws SSLException {
    for (int i = 0; i < 20; i++) {
      HandshakeStatus status = engine.getHandshakeStatus();
      switch (status) {
        case NEED_TASK -> {
          Runnable task;
          while ((task = engine.getDelegatedTask()) != null) {
            task.run();
          }
        }
        case NEED_WRAP -> {
          SSLEngineResult r = engine.wrap(ByteBuffer.allocate(0), out);
          if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
            return;
          }
        }
        case NEED_UNWRAP, NEED_UNWRAP_AGAIN, NOT_HANDSHAKING, FINISHED -> {
          if (in.position() == 0 && (status == HandshakeStatus.NOT_HANDSHAKING
              || status == HandshakeStatus.FINISHED)) {
            return;
          }
          in.flip();
          SSLEngineResult r;
          try {
            r = engine.unwrap(in, app);
          } finally {
            in.compact();
          }
          app.clear();
          if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW
              || r.getStatus() == SSLEngineResult.Status.CLOSED) {
            return;
          }
        }
      }
    }
  }
}
