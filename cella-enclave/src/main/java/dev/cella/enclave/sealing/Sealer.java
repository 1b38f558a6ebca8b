package dev.cella.enclave.sealing;

import dev.cella.EnclaveException;
import dev.cella.EnclaveIdentity;
import dev.cella.EnclaveStatus.Code;
import dev.cella.enclave.sealing.UnsealException.Reason;
import dev.cella.enclave.sealing.internal.BlobFormat;
import dev.cella.enclave.sealing.internal.BlobKeys;
import dev.cella.enclave.sealing.internal.GcmWorkers;
import dev.cella.enclave.sealing.internal.WipeableAesKey;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.locks.StampedLock;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals data to the enclave's identity under one {@link SealPolicy}, so that only this enclave
 * (MEASUREMENT), or this signer's product at this or a later SVN (SIGNER), can unseal it. The
 * host may store a blob anywhere; it learns only its length.
 *
 * <p>A blob is AES-256-GCM with a random 96-bit nonce under a key derived from the enclave's
 * sealing key chain at the sealing SVN, behind a 40-byte header (magic, format version, policy,
 * SVN, key id, nonce, length) that the tag authenticates together with the caller's associated
 * data. {@link #unseal} returns the plaintext only when everything checks out and otherwise
 * throws an {@link UnsealException} saying why. The format is in {@code docs/sealing.md}.
 *
 * <pre>{@code
 * Sealer sealer = keys.sealer(SealPolicy.SIGNER);
 * byte[] blob = sealer.seal(secret, "signing-key".getBytes(UTF_8));
 * byte[] again = sealer.unseal(blob, "signing-key".getBytes(UTF_8));
 * }</pre>
 *
 * <p>Random nonces bound the use of one key: seal at most 2^32 blobs per identity and SVN (NIST
 * SP 800-38D, 8.3). Associated data is not stored in the blob; {@code null} means none.
 *
 * <p>Thread-safe; seal and unseal take no lock. Obtained from {@link SealingKeys#sealer} and
 * unusable ({@code FAILED_PRECONDITION}) once those keys are closed.
 */
public final class Sealer {
  private static final byte[] NO_DATA = new byte[0];

  private final SealPolicy policy;
  private final int svn;
  private final BlobKeys keys;
  private final byte[] keyId;
  private final GcmWorkers workers = new GcmWorkers();
  private final StampedLock closeGuard = new StampedLock();
  private volatile boolean closed;

  Sealer(SealPolicy policy, EnclaveIdentity identity, byte[] chainKey) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.svn = identity.svn();
    this.keys = new BlobKeys(policy, identity, chainKey);
    this.keyId = keys.keyId();
  }

  /** The policy this sealer seals under. */
  public SealPolicy policy() {
    return policy;
  }

  /** The SVN blobs are sealed at: the enclave's own. */
  public int svn() {
    return svn;
  }

  /** Seals {@code plaintext}, binding {@code associatedData} (may be null), into a new blob. */
  public byte[] seal(byte[] plaintext, byte[] associatedData) {
    return seal(plaintext, 0, plaintext.length, associatedData);
  }

  /**
   * Seals {@code length} bytes of {@code plaintext} from {@code offset}, binding {@code
   * associatedData} (may be null). The blob is {@code length + 56} bytes; one GCM pass, no copy of
   * the plaintext.
   */
  public byte[] seal(byte[] plaintext, int offset, int length, byte[] associatedData) {
    Objects.checkFromIndexSize(offset, length, plaintext.length);
    if (length > BlobFormat.MAX_PLAINTEXT_LENGTH) {
      throw new EnclaveException(Code.INVALID_ARGUMENT, "cannot seal " + length
          + " bytes: a sealed blob holds at most " + BlobFormat.MAX_PLAINTEXT_LENGTH);
    }
    byte[] blob = new byte[BlobFormat.OVERHEAD + length];
    BlobFormat.writeHeader(blob, policy, svn, keyId, length);
    GcmWorkers.Worker worker = workers.take();
    try {
      worker.nextNonce(blob, BlobFormat.NONCE_OFFSET);
      Cipher cipher = worker.cipher();
      init(cipher, Cipher.ENCRYPT_MODE, keys.currentKey(), blob);
      cipher.updateAAD(blob, 0, BlobFormat.HEADER_LENGTH);
      cipher.updateAAD(associatedData == null ? NO_DATA : associatedData);
      cipher.doFinal(plaintext, offset, length, blob, BlobFormat.HEADER_LENGTH);
      return blob;
    } catch (GeneralSecurityException e) {
      throw new EnclaveException(Code.INTERNAL, "AES-GCM refused to seal: " + e.getMessage(), e);
    } finally {
      workers.give(worker);
    }
  }

  /**
   * The plaintext of {@code blob}, if this enclave's identity sealed it under this policy at its
   * SVN or a lower one, with the same associated data (null means none), and nothing changed.
   *
   * @throws UnsealException with the reason the blob was refused; no plaintext is released
   */
  public byte[] unseal(byte[] blob, byte[] associatedData) throws UnsealException {
    BlobFormat.Header header = BlobFormat.parse(blob);
    if (header.policy() != policy) {
      throw new UnsealException(Reason.WRONG_POLICY,
          "the blob was sealed under policy " + header.policy() + ", this sealer is " + policy);
    }
    if (!keys.matchesKeyId(blob, BlobFormat.KEY_ID_OFFSET)) {
      throw new UnsealException(Reason.WRONG_IDENTITY, "the blob was sealed for another "
          + (policy == SealPolicy.MEASUREMENT ? "measurement" : "signer, product id")
          + " or debug flag than this enclave's");
    }
    if (header.svn() > svn) {
      throw new UnsealException(Reason.HIGHER_SVN, "the blob was sealed at SVN " + header.svn()
          + ", above this enclave's SVN " + svn + "; an older version cannot read a newer one's data");
    }
    byte[] plaintext = new byte[header.plaintextLength()];
    GcmWorkers.Worker worker = workers.take();
    WipeableAesKey key = null;
    try {
      Cipher cipher = worker.cipher();
      long stamp = checkOpen();
      key = keys.keyFor(header.svn());
      init(cipher, Cipher.DECRYPT_MODE, key, blob, stamp);
      cipher.updateAAD(blob, 0, BlobFormat.HEADER_LENGTH);
      cipher.updateAAD(associatedData == null ? NO_DATA : associatedData);
      cipher.doFinal(blob, BlobFormat.HEADER_LENGTH, plaintext.length + BlobFormat.TAG_LENGTH,
          plaintext, 0);
      return plaintext;
    } catch (AEADBadTagException e) {
      Arrays.fill(plaintext, (byte) 0);
      throw new UnsealException(Reason.TAMPERED, "the authentication tag does not match: the blob"
          + " or its header was changed, or the associated data differs from the sealer's");
    } catch (GeneralSecurityException e) {
      throw new EnclaveException(Code.INTERNAL, "AES-GCM refused to unseal: " + e.getMessage(), e);
    } finally {
      if (key != null && !closed) {
        keys.release(key);
      }
      workers.give(worker);
    }
  }

  /** Wipes the keys; later calls fail with {@code FAILED_PRECONDITION}. Idempotent. */
  void close() {
    long stamp = closeGuard.writeLock();
    try {
      if (!closed) {
        closed = true;
        keys.close();
        workers.close();
      }
    } finally {
      closeGuard.unlockWrite(stamp);
    }
  }

  private void init(Cipher cipher, int mode, WipeableAesKey key, byte[] blob)
      throws GeneralSecurityException {
    init(cipher, mode, key, blob, checkOpen());
  }

  /** Initializes under an optimistic read of the close guard: a key wiped meanwhile is never used. */
  private void init(Cipher cipher, int mode, WipeableAesKey key, byte[] blob, long stamp)
      throws GeneralSecurityException {
    try {
      cipher.init(mode, key, new GCMParameterSpec(
          BlobFormat.TAG_LENGTH * 8, blob, BlobFormat.NONCE_OFFSET, BlobFormat.NONCE_LENGTH));
    } catch (IllegalStateException e) {
      if (!closeGuard.validate(stamp)) {
        throw closedException();
      }
      throw e;
    }
    if (!closeGuard.validate(stamp)) {
      throw closedException();
    }
  }

  private long checkOpen() {
    long stamp = closeGuard.tryOptimisticRead();
    if (stamp == 0 || closed) {
      throw closedException();
    }
    return stamp;
  }

  private static EnclaveException closedException() {
    return new EnclaveException(Code.FAILED_PRECONDITION,
        "the sealing keys were closed: the enclave is shutting down");
  }
}
