package dev.cella.grpc.internal;

import dev.cella.attestation.ratls.RaTlsCertificateException;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.Optional;

/**
 * Rewrites the transport's bare "io exception" of a call whose server the RA-TLS trust manager
 * refused into {@code UNAVAILABLE} naming the reason, keeping the original cause.
 *
 * <p>Thread-safe (stateless).
 */
public final class RefusalInterceptor implements ClientInterceptor {
  public static final RefusalInterceptor INSTANCE = new RefusalInterceptor();

  private RefusalInterceptor() {}

  /** The trust manager's refusal among the status's causes, if any. */
  public static Optional<RaTlsCertificateException> refusal(Status status) {
    Throwable t = status.getCause();
    for (int depth = 0; t != null && depth < 32; depth++, t = t.getCause()) {
      if (t instanceof RaTlsCertificateException e) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method,
      CallOptions options, Channel next) {
    return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
      @Override
      public void start(Listener<R> listener, Metadata headers) {
        super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
          @Override
          public void onClose(Status status, Metadata trailers) {
            Optional<RaTlsCertificateException> refused =
                status.isOk() ? Optional.empty() : refusal(status);
            super.onClose(refused.map(e -> Status.UNAVAILABLE
                .withDescription("the server's attestation was refused (" + e.reason() + "): "
                    + e.getMessage())
                .withCause(status.getCause())).orElse(status), trailers);
          }
        }, headers);
      }
    };
  }
}
