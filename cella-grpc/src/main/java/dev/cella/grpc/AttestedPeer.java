package dev.cella.grpc;

import dev.cella.attestation.VerifiedEnclave;
import dev.cella.attestation.ratls.RaTlsCertificateException;
import dev.cella.grpc.internal.PeerInterceptor;
import dev.cella.grpc.internal.RefusalInterceptor;
import io.grpc.Context;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Optional;

/**
 * The attested client of the current gRPC call, for services that authorize by identity (Asylo's
 * per-call ACL). With mutual RA-TLS ({@link AttestedServerCredentials#create(
 * dev.cella.enclave.EnclaveContext, dev.cella.attestation.AttestationPolicy)}) and {@link
 * #interceptor()} installed, {@link #current()} is the client's {@link VerifiedEnclave}; without
 * client attestation it is empty.
 *
 * <pre>{@code
 * VerifiedEnclave caller = AttestedPeer.require();
 * if (caller.productId() != 7) {
 *   throw Status.PERMISSION_DENIED.withDescription("product 7 only").asRuntimeException();
 * }
 * }</pre>
 *
 * <p>Thread-safe (stateless).
 */
public final class AttestedPeer {
  private AttestedPeer() {}

  /** The verified client of the current call, if it attested. */
  public static Optional<VerifiedEnclave> current() {
    return Optional.ofNullable(PeerInterceptor.KEY.get(Context.current()));
  }

  /**
   * The verified client of the current call.
   *
   * @throws StatusRuntimeException {@code UNAUTHENTICATED} if the client did not attest
   */
  public static VerifiedEnclave require() {
    return current().orElseThrow(() -> Status.UNAUTHENTICATED
        .withDescription("this call's client presented no attested identity")
        .asRuntimeException());
  }

  /**
   * The server interceptor that puts each call's verified client into the gRPC {@link Context}.
   * A call over a session whose client certificate was not verified by Cella's trust manager
   * (which cannot happen with {@link AttestedServerCredentials}) is refused with {@code
   * UNAUTHENTICATED}.
   */
  public static ServerInterceptor interceptor() {
    return PeerInterceptor.INSTANCE;
  }

  /**
   * Why the RA-TLS trust manager refused the server of a failed call, if it did: {@code "REASON:
   * message"} of the {@link RaTlsCertificateException} among the status's causes.
   */
  public static Optional<String> refusalReason(Status status) {
    return RefusalInterceptor.refusal(status).map(e -> e.reason() + ": " + e.getMessage());
  }
}
