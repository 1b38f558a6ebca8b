/**
 * RA-TLS: TLS 1.3 whose peers are trusted for their attested identity. An enclave makes a fresh
 * key and a self-signed certificate carrying its platform's evidence, bound to the key
 * ({@link dev.cella.attestation.ratls.RaTlsCertificates}, renewed by {@link
 * dev.cella.attestation.ratls.RaTlsCertificateProvider}); the peer's {@link
 * dev.cella.attestation.ratls.RaTlsTrustManager} verifies the evidence against an {@link
 * dev.cella.attestation.AttestationPolicy}. Any JDK TLS stack (SSLEngine, SSLSocket, gRPC over
 * Netty) carries it. Format and checks: docs/channels.md.
 */
package dev.cella.attestation.ratls;
