package dev.cella.grpc;

import dev.cella.attestation.AttestationPolicy;
import dev.cella.attestation.ratls.EvidenceSource;
import dev.cella.attestation.ratls.RaTlsCertificateProvider;
import dev.cella.attestation.ratls.RaTlsTrustManager;
import dev.cella.enclave.EnclaveContext;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import java.util.Objects;

/**
 * Credentials for a grpc-java server running inside an enclave: TLS 1.3 with the enclave's RA-TLS
 * certificate (renewed before it expires), so that clients holding {@link
 * AttestedChannelCredentials} verify the enclave's evidence before they send anything. Optionally
 * mutual: clients must then present an RA-TLS certificate of their own that passes a policy, and
 * each call sees the client's verified identity through {@link AttestedPeer#current()} (install
 * {@link AttestedPeer#interceptor()} on the server).
 *
 * <pre>{@code
 * Server server = Grpc.newServerBuilderForPort(port, AttestedServerCredentials.create(context))
 *     .addService(service)
 *     .intercept(AttestedPeer.interceptor())
 *     .build().start();
 * }</pre>
 *
 * <p>On the {@code sim} backend the server opens its port directly in the host's JVM: sim isolates
 * nothing. On isolated backends the host relays the TCP bytes (see docs/channels.md), which stay
 * encrypted end to end.
 *
 * <p>Thread-safe (stateless factory).
 */
public final class AttestedServerCredentials {
  private AttestedServerCredentials() {}

  /** Server attestation only: any client may connect, and learns the enclave's identity. */
  public static ServerCredentials create(EnclaveContext context) {
    return builder(context).build();
  }

  /** Mutual RA-TLS: only clients whose RA-TLS certificate passes {@code clientPolicy} connect. */
  public static ServerCredentials create(EnclaveContext context, AttestationPolicy clientPolicy) {
    return builder(context).requireClientAttestation(RaTlsTrustManager.create(clientPolicy)).build();
  }

  /** A builder whose certificates carry evidence from {@code source} (the enclave's context). */
  public static Builder builder(EvidenceSource source) {
    return new Builder(RaTlsCertificateProvider.create(source));
  }

  /** A builder that presents the certificates of {@code provider}. */
  public static Builder builder(RaTlsCertificateProvider provider) {
    return new Builder(provider);
  }

  /** Builds server credentials. Not thread-safe. */
  public static final class Builder {
    private final RaTlsCertificateProvider provider;
    private RaTlsTrustManager clients;

    private Builder(RaTlsCertificateProvider provider) {
      this.provider = Objects.requireNonNull(provider, "provider");
    }

    /** Requires every client to present an RA-TLS certificate that {@code trust} accepts. */
    public Builder requireClientAttestation(RaTlsTrustManager trust) {
      this.clients = Objects.requireNonNull(trust, "trust");
      return this;
    }

    public ServerCredentials build() {
      TlsServerCredentials.Builder tls = TlsServerCredentials.newBuilder()
          .keyManager(provider.keyManager());
      if (clients != null) {
        tls.trustManager(clients).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
      }
      return tls.build();
    }
  }
}
