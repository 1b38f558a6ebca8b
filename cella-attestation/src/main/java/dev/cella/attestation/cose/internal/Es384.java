package dev.cella.attestation.cose.internal;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;

/**
 * ECDSA P-384 with SHA-384 (COSE alg ES384, -35) in the signature format of RFC 9053 §2.1: the
 * 96-byte concatenation r || s, each left-padded to 48 bytes. The JDK's {@code
 * SHA384withECDSAinP1363Format} produces and checks exactly that form, so no DER conversion code
 * is needed (and none can be got wrong).
 *
 * <p>Thread-safe (stateless).
 */
public final class Es384 {
  /** COSE algorithm identifier of ES384. */
  public static final int COSE_ALG = -35;
  /** Length of an ES384 signature: r || s. */
  public static final int SIGNATURE_LENGTH = 96;

  private static final String ALGORITHM = "SHA384withECDSAinP1363Format";
  private static final ECParameterSpec P384 = p384();

  private Es384() {}

  /** Signs {@code data}; the key must be a P-384 private key. */
  public static byte[] sign(PrivateKey key, byte[] data) throws GeneralSecurityException {
    Signature signature = Signature.getInstance(ALGORITHM);
    signature.initSign(key);
    signature.update(data);
    byte[] result = signature.sign();
    if (result.length != SIGNATURE_LENGTH) {
      throw new SignatureException("ES384 signature has " + result.length + " bytes, not 96");
    }
    return result;
  }

  /** Whether {@code signature} (r || s) over {@code data} verifies with the P-384 {@code key}. */
  public static boolean verify(PublicKey key, byte[] data, byte[] signature)
      throws InvalidKeyException {
    if (!isP384(key)) {
      throw new InvalidKeyException("not an ECDSA P-384 public key");
    }
    if (signature.length != SIGNATURE_LENGTH) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance(ALGORITHM);
      verifier.initVerify(key);
      verifier.update(data);
      return verifier.verify(signature);
    } catch (SignatureException e) {
      return false; // e.g. r or s out of range: not a valid signature
    } catch (InvalidKeyException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks " + ALGORITHM, e);
    }
  }

  /** Whether {@code key} is an EC public key on NIST P-384 (secp384r1). */
  public static boolean isP384(PublicKey key) {
    if (!(key instanceof ECPublicKey ec)) {
      return false;
    }
    ECParameterSpec params = ec.getParams();
    return params.getCurve().equals(P384.getCurve())
        && params.getGenerator().equals(P384.getGenerator())
        && params.getOrder().equals(P384.getOrder())
        && params.getCofactor() == P384.getCofactor();
  }

  private static ECParameterSpec p384() {
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec("secp384r1"));
      return parameters.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
