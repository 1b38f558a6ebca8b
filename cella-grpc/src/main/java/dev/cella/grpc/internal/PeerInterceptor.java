package dev.cella.grpc.internal;

import dev.cella.attestation.VerifiedEnclave;
import dev.cella.attestation.ratls.RaTlsTrustManager;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Reads the client's verified identity, which the RA-TLS trust manager stored in the TLS session
 * during the handshake, and puts it into each call's context.
 *
 * <p>Thread-safe (stateless).
 */
public final class PeerInterceptor implements ServerInterceptor {
  public static final Context.Key<VerifiedEnclave> KEY = Context.key("cella-attested-peer");
  public static final PeerInterceptor INSTANCE = new PeerInterceptor();

  private PeerInterceptor() {}

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    if (session == null) {
      return next.startCall(call, headers);
    }
    Object peer = session.getValue(RaTlsTrustManager.SESSION_VALUE);
    if (peer instanceof VerifiedEnclave enclave) {
      return Contexts.interceptCall(Context.current().withValue(KEY, enclave), call, headers, next);
    }
    if (hasPeerCertificate(session)) {
      call.close(Status.UNAUTHENTICATED.withDescription("the client's certificate was not"
          + " verified as RA-TLS in this session"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return next.startCall(call, headers);
  }

  private static boolean hasPeerCertificate(SSLSession session) {
    try {
      return session.getPeerCertificates().length > 0;
    } catch (SSLPeerUnverifiedException e) {
      return false;
    }
  }
}
