package dev.cella.enclave.sealing;

/**
 * Which part of the enclave's identity a sealing key is bound to, and therefore who can unseal.
 *
 * <ul>
 *   <li>{@link #MEASUREMENT}: only an enclave with exactly this bundle measurement (same code,
 *       manifest and configuration). A rebuilt or updated bundle cannot read the data.
 *   <li>{@link #SIGNER}: any enclave signed by the same signer with the same product id and debug
 *       flag, at the sealing enclave's SVN or higher. A newer signed version reads what older ones
 *       sealed; an older version cannot read what a newer one sealed.
 * </ul>
 *
 * <p>Example: {@code Sealer sealer = keys.sealer(SealPolicy.SIGNER);}
 *
 * <p>Immutable and thread-safe.
 */
public enum SealPolicy {
  /** Bound to the bundle measurement (and debug flag). */
  MEASUREMENT,
  /** Bound to the signer id, product id and debug flag; readable by later SVNs. */
  SIGNER
}
