/**
 * The "cella-cose" evidence format of Cella's software platforms (COSE_Sign1 / ES384 over a CBOR
 * claims map) and its verifier, {@link dev.cella.attestation.cose.CellaEvidenceVerifier}.
 */
package dev.cella.attestation.cose;
