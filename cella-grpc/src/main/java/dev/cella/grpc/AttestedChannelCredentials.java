package dev.cella.grpc;

import dev.cella.attestation.AttestationPolicy;
import dev.cella.attestation.ratls.EvidenceSource;
import dev.cella.attestation.ratls.RaTlsCertificateProvider;
import dev.cella.attestation.ratls.RaTlsTrustManager;
import dev.cella.enclave.EnclaveContext;
import dev.cella.grpc.internal.RefusalInterceptor;
import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptor;
import io.grpc.TlsChannelCredentials;
import java.util.Objects;

/**
 * Credentials for a gRPC client that talks to a server inside an enclave: TLS 1.3 whose only
 * trust is the server's RA-TLS evidence, verified against an {@link AttestationPolicy} — no CA,
 * no host-name check, no fallback. A server that fails the policy never sees a request; the call
 * fails with {@code UNAVAILABLE}. The transport itself only says "io exception" (the reason is in
 * the status's causes, see {@link AttestedPeer#refusalReason}); install {@link #explainRefusals()}
 * on the channel and the status's description names the reason. A client inside an enclave can
 * attest itself too (mutual RA-TLS).
 *
 * <pre>{@code
 * ManagedChannel channel = Grpc.newChannelBuilder("localhost:" + port,
 *         AttestedChannelCredentials.create(AttestationPolicy.parse("measurement=" + hex
 *             + " root=process-root.pem")))
 *     .intercept(AttestedChannelCredentials.explainRefusals())
 *     .build();
 * }</pre>
 *
 * <p>Thread-safe (stateless factory).
 */
public final class AttestedChannelCredentials {
  private AttestedChannelCredentials() {}

  /** A client outside any enclave that attests the server against {@code serverPolicy}. */
  public static ChannelCredentials create(AttestationPolicy serverPolicy) {
    return builder(RaTlsTrustManager.create(serverPolicy)).build();
  }

  /** A client inside an enclave: attests the server and presents its own RA-TLS certificate. */
  public static ChannelCredentials create(EnclaveContext context, AttestationPolicy serverPolicy) {
    return builder(RaTlsTrustManager.create(serverPolicy)).attestClient(context).build();
  }

  /**
   * A client interceptor that turns the transport's "io exception" for a server the RA-TLS trust
   * manager refused into {@code UNAVAILABLE: the server's attestation was refused (REASON): …}.
   */
  public static ClientInterceptor explainRefusals() {
    return RefusalInterceptor.INSTANCE;
  }

  /** A builder that trusts exactly the servers {@code trust} accepts. */
  public static Builder builder(RaTlsTrustManager trust) {
    return new Builder(trust);
  }

  /** Builds channel credentials. Not thread-safe. */
  public static final class Builder {
    private final RaTlsTrustManager trust;
    private RaTlsCertificateProvider provider;

    private Builder(RaTlsTrustManager trust) {
      this.trust = Objects.requireNonNull(trust, "trust");
    }

    /** Presents RA-TLS certificates with evidence from {@code source} (mutual attestation). */
    public Builder attestClient(EvidenceSource source) {
      return attestClient(RaTlsCertificateProvider.create(source));
    }

    /** Presents the certificates of {@code provider} (mutual attestation). */
    public Builder attestClient(RaTlsCertificateProvider provider) {
      this.provider = Objects.requireNonNull(provider, "provider");
      return this;
    }

    public ChannelCredentials build() {
      TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder().trustManager(trust);
      if (provider != null) {
        tls.keyManager(provider.keyManager());
      }
      return tls.build();
    }
  }
}
