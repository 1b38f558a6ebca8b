package dev.cella.enclave.sealing;

import dev.cella.EnclaveException;
import dev.cella.EnclaveIdentity;
import dev.cella.EnclaveStatus.Code;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The enclave's sealing secrets: for each {@link SealPolicy}, the sealing key chain key at the
 * enclave's current SVN (see {@link dev.cella.protocol.sealing.SealingKeyChain}), with the
 * identity values that seal headers name. Hands out one {@link Sealer} per policy.
 *
 * <p><b>Only the enclave runtime creates this</b>, from the chain keys the platform delivers at
 * initialization for the identity it measured; application code receives sealers through its
 * {@code EnclaveContext}. The keys never leave this object except into the sealers it makes: there
 * is no accessor that returns key bytes, and no {@code equals}, {@code hashCode} or {@code
 * toString} that could reveal them.
 *
 * <pre>{@code
 * // in the runtime, with the chain keys from the platform:
 * SealingKeys keys = SealingKeys.fromChainKeys(identity, measurementChainKey, signerChainKey);
 * Arrays.fill(measurementChainKey, (byte) 0);
 * Arrays.fill(signerChainKey, (byte) 0);
 * Sealer sealer = keys.sealer(SealPolicy.MEASUREMENT);
 * ...
 * keys.close();   // at enclave shutdown: wipes every key, sealers stop working
 * }</pre>
 *
 * <p>Thread-safe. {@link #close} is idempotent; afterwards {@link #sealer} and every sealer fail
 * with {@code FAILED_PRECONDITION}. Wiping is best effort, as Java allows: the JDK's ciphers
 * keep expanded copies of the keys until they are garbage collected.
 */
public final class SealingKeys implements AutoCloseable {
  private final EnclaveIdentity identity;
  private final Map<SealPolicy, Sealer> sealers = new EnumMap<>(SealPolicy.class);
  private volatile boolean closed;

  private SealingKeys(EnclaveIdentity identity, byte[] measurementChainKey, byte[] signerChainKey) {
    this.identity = identity;
    Sealer measurement = new Sealer(SealPolicy.MEASUREMENT, identity, measurementChainKey);
    try {
      sealers.put(SealPolicy.SIGNER, new Sealer(SealPolicy.SIGNER, identity, signerChainKey));
    } catch (RuntimeException e) {
      measurement.close();
      throw e;
    }
    sealers.put(SealPolicy.MEASUREMENT, measurement);
  }

  /**
   * The sealing keys of an enclave with {@code identity}, from the platform's chain keys at
   * {@code identity.svn()} for each policy (32 bytes each; copied, so the caller wipes its arrays).
   * For the runtime only.
   *
   * @throws IllegalArgumentException if a key is not 32 bytes
   */
  public static SealingKeys fromChainKeys(
      EnclaveIdentity identity, byte[] measurementChainKey, byte[] signerChainKey) {
    Objects.requireNonNull(identity, "identity");
    return new SealingKeys(identity, measurementChainKey, signerChainKey);
  }

  /** The sealer for {@code policy}; the same instance on every call. */
  public Sealer sealer(SealPolicy policy) {
    Objects.requireNonNull(policy, "policy");
    if (closed) {
      throw new EnclaveException(Code.FAILED_PRECONDITION,
          "the sealing keys were closed: the enclave is shutting down");
    }
    return sealers.get(policy);
  }

  /** The identity these keys belong to; its SVN is the one blobs are sealed at. */
  public EnclaveIdentity identity() {
    return identity;
  }

  /** The current SVN: blobs sealed at it or lower can be unsealed. */
  public int svn() {
    return identity.svn();
  }

  /** Wipes every key; idempotent. */
  @Override
  public void close() {
    closed = true;
    sealers.values().forEach(Sealer::close);
  }
}
