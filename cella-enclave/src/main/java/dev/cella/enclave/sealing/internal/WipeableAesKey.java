package dev.cella.enclave.sealing.internal;

import java.util.Arrays;
import javax.crypto.SecretKey;

/**
 * An AES key whose bytes this class owns and can wipe, unlike {@link
 * javax.crypto.spec.SecretKeySpec}, whose {@code destroy()} is not implemented. {@link
 * #getEncoded} hands out copies (the JDK's ciphers copy and expand the key inside {@code init});
 * {@link #destroy} zeroes the original. No {@code equals}, {@code hashCode} or {@code toString}
 * beyond {@link Object}'s, and not serializable in any useful way.
 *
 * <p>Reading it concurrently with {@link #destroy} may yield a partly wiped copy: callers guard
 * key use against close (see {@code Sealer}).
 */
public final class WipeableAesKey implements SecretKey {
  private static final long serialVersionUID = 1L;

  private final transient byte[] key;
  private volatile boolean destroyed;

  /** Takes ownership of {@code key} (not copied); the caller must not keep or reuse it. */
  public WipeableAesKey(byte[] key) {
    if (key.length != 32) {
      throw new IllegalArgumentException("an AES-256 key has 32 bytes, got " + key.length);
    }
    this.key = key;
  }

  @Override
  public String getAlgorithm() {
    return "AES";
  }

  @Override
  public String getFormat() {
    return "RAW";
  }

  @Override
  public byte[] getEncoded() {
    if (destroyed) {
      throw new IllegalStateException("the key was wiped");
    }
    return key.clone();
  }

  @Override
  public void destroy() {
    destroyed = true;
    Arrays.fill(key, (byte) 0);
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }
}
