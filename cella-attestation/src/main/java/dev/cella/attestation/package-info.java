/**
 * Attestation: {@link dev.cella.attestation.AttestationVerifier} verifies evidence of any
 * supported format into a {@link dev.cella.attestation.VerifiedEnclave} and applies an {@link
 * dev.cella.attestation.AttestationPolicy}; {@link dev.cella.attestation.EvidenceVerifier} is the
 * per-format SPI.
 */
package dev.cella.attestation;
