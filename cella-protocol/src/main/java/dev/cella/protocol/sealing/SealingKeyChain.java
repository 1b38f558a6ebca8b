package dev.cella.protocol.sealing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The one-way chain of sealing keys over security versions (SVNs): the rule "an enclave can
 * unseal what it or an older version sealed, never what a newer version sealed" as a key
 * schedule. Both sides use it: the platform turns a per-identity seed into the key for an
 * enclave's current SVN with {@link #keyAt}; the enclave turns that key into the key of any lower
 * SVN with {@link #stepDown}. Going up needs a SHA-256 preimage, so an enclave at SVN {@code s}
 * learns nothing about the keys of SVNs above {@code s}.
 *
 * <p>For a 32-byte seed {@code S} (one per platform root, identity and seal policy):
 *
 * <pre>
 *   K(65535) = HMAC-SHA256(key = S, "cella-chain-top" || u16be(65535))
 *   K(s - 1) = SHA-256("cella-chain-step" || u16be(s - 1) || K(s))     for s = 65535 .. 1
 * </pre>
 *
 * <p>The step label is 16 bytes, so each step hashes 50 bytes: one SHA-256 compression. {@code
 * keyAt(seed, 0)}, the worst case, takes 65535 steps (a few milliseconds); the platform computes
 * it once per enclave launch and may cache the result per (seed, SVN).
 *
 * <p>Example (platform side, then enclave side):
 *
 * <pre>{@code
 * byte[] k10 = SealingKeyChain.keyAt(seed, 10);          // handed to the enclave at SVN 10
 * byte[] k3 = SealingKeyChain.stepDown(k10, 10, 3);      // equals keyAt(seed, 3)
 * }</pre>
 *
 * <p>Every method returns a fresh array that the caller owns and should wipe ({@code
 * Arrays.fill(key, (byte) 0)}) when done; inputs are not modified. Stateless and thread-safe.
 */
public final class SealingKeyChain {
  /** The length in bytes of a seed and of every chain key. */
  public static final int KEY_LENGTH = 32;

  /** The highest SVN, where the chain starts. */
  public static final int MAX_SVN = 0xFFFF;

  private static final byte[] TOP_LABEL = "cella-chain-top".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] STEP_LABEL = "cella-chain-step".getBytes(StandardCharsets.US_ASCII);
  private static final int STEP_INPUT_LENGTH = STEP_LABEL.length + 2 + KEY_LENGTH;

  private SealingKeyChain() {}

  /**
   * The chain key at {@code svn} for {@code seed}: the key the platform hands to an enclave
   * running at that SVN.
   *
   * @param seed the 32-byte per-identity, per-policy seed (not modified)
   * @param svn 0 to 65535
   * @throws IllegalArgumentException if the seed is not 32 bytes or the SVN is out of range
   */
  public static byte[] keyAt(byte[] seed, int svn) {
    checkKey("seed", seed);
    checkSvn("SVN", svn);
    byte[] top = top(seed);
    try {
      return walk(top, MAX_SVN, svn);
    } finally {
      Arrays.fill(top, (byte) 0);
    }
  }

  /**
   * The chain key at {@code toSvn}, from the chain key at {@code fromSvn}. Refuses to step up:
   * there is no way to compute a higher SVN's key.
   *
   * @param key the 32-byte chain key at {@code fromSvn} (not modified)
   * @param fromSvn the SVN of {@code key}, 0 to 65535
   * @param toSvn the wanted SVN, 0 to {@code fromSvn}
   * @throws IllegalArgumentException if the key is not 32 bytes, an SVN is out of range or
   *     {@code toSvn > fromSvn}
   */
  public static byte[] stepDown(byte[] key, int fromSvn, int toSvn) {
    checkKey("chain key", key);
    checkSvn("from-SVN", fromSvn);
    checkSvn("to-SVN", toSvn);
    if (toSvn > fromSvn) {
      throw new IllegalArgumentException(
          "cannot step up the sealing key chain from SVN " + fromSvn + " to SVN " + toSvn
              + ": the chain is one-way, only lower SVNs are reachable");
    }
    return walk(key, fromSvn, toSvn);
  }

  private static byte[] walk(byte[] key, int fromSvn, int toSvn) {
    MessageDigest sha256 = sha256();
    byte[] buffer = new byte[STEP_INPUT_LENGTH];
    System.arraycopy(STEP_LABEL, 0, buffer, 0, STEP_LABEL.length);
    int keyOffset = STEP_LABEL.length + 2;
    System.arraycopy(key, 0, buffer, keyOffset, KEY_LENGTH);
    try {
      for (int s = fromSvn; s > toSvn; s--) {
        buffer[STEP_LABEL.length] = (byte) ((s - 1) >>> 8);
        buffer[STEP_LABEL.length + 1] = (byte) (s - 1);
        sha256.update(buffer, 0, STEP_INPUT_LENGTH);
        sha256.digest(buffer, keyOffset, KEY_LENGTH);
      }
      return Arrays.copyOfRange(buffer, keyOffset, keyOffset + KEY_LENGTH);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 refused a 32-byte output buffer", e);
    } finally {
      Arrays.fill(buffer, (byte) 0);
    }
  }

  private static byte[] top(byte[] seed) {
    SecretKeySpec seedKey = new SecretKeySpec(seed, "HmacSHA256");
    try {
      Mac hmac = Mac.getInstance("HmacSHA256");
      hmac.init(seedKey);
      hmac.update(TOP_LABEL);
      hmac.update(new byte[] {(byte) (MAX_SVN >>> 8), (byte) MAX_SVN});
      return hmac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no HmacSHA256, which Java SE requires", e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256, which Java SE requires", e);
    }
  }

  private static void checkKey(String what, byte[] key) {
    if (key == null || key.length != KEY_LENGTH) {
      throw new IllegalArgumentException(
          "a sealing " + what + " has " + KEY_LENGTH + " bytes, got "
              + (key == null ? "none" : key.length));
    }
  }

  private static void checkSvn(String what, int svn) {
    if (svn < 0 || svn > MAX_SVN) {
      throw new IllegalArgumentException(what + " must be 0 to 65535, got " + svn);
    }
  }
}
