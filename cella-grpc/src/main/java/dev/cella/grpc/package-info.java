/**
 * Attested gRPC: {@link dev.cella.grpc.AttestedServerCredentials} for a grpc-java server inside an
 * enclave, {@link dev.cella.grpc.AttestedChannelCredentials} for clients that attest it (and,
 * optionally, attest themselves), and {@link dev.cella.grpc.AttestedPeer} for the verified client
 * of each call. Built on RA-TLS ({@code dev.cella.attestation.ratls}); see docs/channels.md.
 */
package dev.cella.grpc;
