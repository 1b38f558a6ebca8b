package dev.cella.enclave.sealing.internal;

import dev.cella.EnclaveException;
import dev.cella.EnclaveIdentity;
import dev.cella.EnclaveStatus.Code;
import dev.cella.enclave.sealing.SealPolicy;
import dev.cella.protocol.sealing.SealingKeyChain;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.KDF;
import javax.crypto.spec.HKDFParameterSpec;

/**
 * The blob keys of one seal policy: for each SVN {@code b} up to the enclave's own,
 *
 * <pre>
 *   blobKey(b) = HKDF-SHA256(IKM = K(b), salt = "cella-seal-v1",
 *                            info = "cella-seal-v1 aes-256-gcm" || policy || u16be(b) || identityHash)
 * </pre>
 *
 * where {@code K(b)} is the {@link SealingKeyChain} key at {@code b}, stepped down from the
 * enclave's chain key. The current SVN's key is derived once; lower SVNs' keys on first use, and
 * the first {@value #MAX_CACHED} of them are cached, so that unsealing costs no KDF per call.
 *
 * <p>The identity hash names what the key is bound to; its first 16 bytes are the blob's key id:
 *
 * <pre>
 *   MEASUREMENT: SHA-256("cella-seal-v1 identity" || 0x01 || measurement(48) || debug(1))
 *   SIGNER:      SHA-256("cella-seal-v1 identity" || 0x02 || signer(48) || u16be(productId) || debug(1))
 * </pre>
 *
 * <p>Thread-safe. {@link #close} wipes every key; it must not race with {@link #keyFor} users,
 * which the sealer guarantees.
 */
public final class BlobKeys implements AutoCloseable {
  static final int MAX_CACHED = 32;
  private static final byte[] SALT = ascii("cella-seal-v1");
  private static final byte[] INFO_LABEL = ascii("cella-seal-v1 aes-256-gcm");
  private static final byte[] IDENTITY_LABEL = ascii("cella-seal-v1 identity");

  private final SealPolicy policy;
  private final int svn;
  private final byte[] chainKey;
  private final byte[] identityHash;
  private final WipeableAesKey currentKey;
  private final ConcurrentHashMap<Integer, WipeableAesKey> lowerKeys = new ConcurrentHashMap<>();

  /**
   * Keys for {@code policy} from the chain key at {@code identity.svn()} (copied; the caller
   * wipes its own array).
   */
  public BlobKeys(SealPolicy policy, EnclaveIdentity identity, byte[] chainKey) {
    if (chainKey == null || chainKey.length != SealingKeyChain.KEY_LENGTH) {
      throw new IllegalArgumentException("a " + policy + " chain key has 32 bytes, got "
          + (chainKey == null ? "none" : chainKey.length));
    }
    this.policy = policy;
    this.svn = identity.svn();
    this.chainKey = chainKey.clone();
    this.identityHash = identityHash(policy, identity);
    this.currentKey = derive(this.chainKey, svn);
  }

  /** The identity hash of {@code identity} under {@code policy} (32 bytes). */
  public static byte[] identityHash(SealPolicy policy, EnclaveIdentity identity) {
    MessageDigest sha256 = sha256();
    sha256.update(IDENTITY_LABEL);
    sha256.update((byte) BlobFormat.policyCode(policy));
    switch (policy) {
      case MEASUREMENT -> sha256.update(identity.measurement().toByteArray());
      case SIGNER -> {
        sha256.update(identity.signer().toByteArray());
        sha256.update((byte) (identity.productId() >>> 8));
        sha256.update((byte) identity.productId());
      }
    }
    sha256.update((byte) (identity.debug() ? 1 : 0));
    return sha256.digest();
  }

  /** The 16-byte key id that blobs of this policy and identity carry. */
  public byte[] keyId() {
    return Arrays.copyOf(identityHash, BlobFormat.KEY_ID_LENGTH);
  }

  /** Whether the key id at {@code offset} of {@code blob} is this identity's. */
  public boolean matchesKeyId(byte[] blob, int offset) {
    return Arrays.equals(blob, offset, offset + BlobFormat.KEY_ID_LENGTH,
        identityHash, 0, BlobFormat.KEY_ID_LENGTH);
  }

  /** The key for blobs sealed at the enclave's own SVN. */
  public WipeableAesKey currentKey() {
    return currentKey;
  }

  /**
   * The key for blobs sealed at {@code blobSvn}, which must not exceed the enclave's SVN. Pass it
   * to {@link #release} after use.
   */
  public WipeableAesKey keyFor(int blobSvn) {
    if (blobSvn > svn) {
      throw new IllegalArgumentException("no key above the enclave's SVN " + svn);
    }
    if (blobSvn == svn) {
      return currentKey;
    }
    WipeableAesKey cached = lowerKeys.get(blobSvn);
    if (cached != null) {
      return cached;
    }
    if (lowerKeys.size() >= MAX_CACHED) {
      return lowerKey(blobSvn);
    }
    return lowerKeys.computeIfAbsent(blobSvn, this::lowerKey);
  }

  /** Wipes {@code key} if it was derived for one call only. */
  public void release(WipeableAesKey key) {
    if (key != currentKey && !lowerKeys.containsValue(key)) {
      key.destroy();
    }
  }

  @Override
  public void close() {
    Arrays.fill(chainKey, (byte) 0);
    currentKey.destroy();
    lowerKeys.values().forEach(WipeableAesKey::destroy);
    lowerKeys.clear();
  }

  private WipeableAesKey lowerKey(int blobSvn) {
    byte[] stepped = SealingKeyChain.stepDown(chainKey, svn, blobSvn);
    try {
      return derive(stepped, blobSvn);
    } finally {
      Arrays.fill(stepped, (byte) 0);
    }
  }

  private WipeableAesKey derive(byte[] chainKeyAtSvn, int atSvn) {
    byte[] info = new byte[INFO_LABEL.length + 3 + identityHash.length];
    System.arraycopy(INFO_LABEL, 0, info, 0, INFO_LABEL.length);
    info[INFO_LABEL.length] = (byte) BlobFormat.policyCode(policy);
    info[INFO_LABEL.length + 1] = (byte) (atSvn >>> 8);
    info[INFO_LABEL.length + 2] = (byte) atSvn;
    System.arraycopy(identityHash, 0, info, INFO_LABEL.length + 3, identityHash.length);
    try {
      KDF hkdf = KDF.getInstance("HKDF-SHA256");
      return new WipeableAesKey(hkdf.deriveData(HKDFParameterSpec.ofExtract()
          .addIKM(chainKeyAtSvn).addSalt(SALT).thenExpand(info, 32)));
    } catch (GeneralSecurityException e) {
      throw new EnclaveException(Code.INTERNAL, "this JDK cannot run HKDF-SHA256", e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (GeneralSecurityException e) {
      throw new EnclaveException(Code.INTERNAL, "this JDK has no SHA-256", e);
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
