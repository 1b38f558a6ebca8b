package dev.cella.enclave.sealing;

import dev.cella.EnclaveIdentity;
import dev.cella.Measurement;
import dev.cella.PlatformKind;
import dev.cella.SignerId;
import dev.cella.protocol.sealing.SealingKeyChain;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Plays the platform for the tests: a sealing root, per-identity seeds by HMAC, chain keys at the
 * enclave's SVN. The real platform's derivation belongs to the platform code; this one only has
 * to give different identities different seeds.
 */
final class TestPlatform {
  private final byte[] root;

  TestPlatform(int rootByte) {
    root = new byte[32];
    Arrays.fill(root, (byte) rootByte);
  }

  static TestPlatform standard() {
    return new TestPlatform(0x42);
  }

  SealingKeys keysFor(EnclaveIdentity identity) {
    byte[] m = SealingKeyChain.keyAt(seed(identity, SealPolicy.MEASUREMENT), identity.svn());
    byte[] s = SealingKeyChain.keyAt(seed(identity, SealPolicy.SIGNER), identity.svn());
    try {
      return SealingKeys.fromChainKeys(identity, m, s);
    } finally {
      Arrays.fill(m, (byte) 0);
      Arrays.fill(s, (byte) 0);
    }
  }

  private byte[] seed(EnclaveIdentity identity, SealPolicy policy) {
    try {
      Mac hmac = Mac.getInstance("HmacSHA256");
      hmac.init(new SecretKeySpec(root, "HmacSHA256"));
      hmac.update(policy.name().getBytes(StandardCharsets.US_ASCII));
      if (policy == SealPolicy.MEASUREMENT) {
        hmac.update(identity.measurement().toByteArray());
      } else {
        hmac.update(identity.signer().toByteArray());
        hmac.update(new byte[] {(byte) (identity.productId() >> 8), (byte) identity.productId()});
      }
      hmac.update((byte) (identity.debug() ? 1 : 0));
      return hmac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  static EnclaveIdentity identity(int measurementByte, int signerByte, int productId, int svn) {
    return identity(measurementByte, signerByte, productId, svn, false);
  }

  static EnclaveIdentity identity(
      int measurementByte, int signerByte, int productId, int svn, boolean debug) {
    byte[] m = new byte[48];
    Arrays.fill(m, (byte) measurementByte);
    byte[] s = new byte[48];
    Arrays.fill(s, (byte) signerByte);
    return new EnclaveIdentity(
        Measurement.of(m), SignerId.of(s), productId, svn, debug, PlatformKind.SIM);
  }
}
