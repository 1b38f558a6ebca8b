package dev.cella.attestation.dcap.internal;

/**
 * A collateral value and what Intel signed for it: the exact received bytes and the ECDSA P-256
 * signature ({@code r || s}). Not yet verified. Immutable.
 *
 * @param source the collateral file it came from, for messages
 */
public record Signed<T>(T value, byte[] signedText, byte[] signature, String source) {}
