package dev.cella.bundle.internal;

import dev.cella.SignerId;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/** ECDSA over NIST P-384 with SHA-384, the only signature scheme of bundle format 1. */
public final class P384 {
  /** The JOSE name of the scheme, as written in {@code cella/signature}. */
  public static final String ALGORITHM = "ES384";
  /** DER of the OID id-ecPublicKey (1.2.840.10045.2.1). */
  public static final byte[] OID_EC_PUBLIC_KEY =
      {0x06, 0x07, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x02, 0x01};
  /** DER of the OID secp384r1 (1.3.132.0.34). */
  public static final byte[] OID_SECP384R1 = {0x06, 0x05, 0x2B, (byte) 0x81, 0x04, 0x00, 0x22};
  /** DER of the OID prime256v1 (1.2.840.10045.3.1.7), recognised only to explain a refusal. */
  public static final byte[] OID_PRIME256V1 =
      {0x06, 0x08, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x03, 0x01, 0x07};
  /** DER of the OID secp521r1 (1.3.132.0.35), recognised only to explain a refusal. */
  public static final byte[] OID_SECP521R1 = {0x06, 0x05, 0x2B, (byte) 0x81, 0x04, 0x00, 0x23};

  private static final ECParameterSpec PARAMS = params();

  private P384() {}

  /** The curve's parameters. */
  public static ECParameterSpec parameters() {
    return PARAMS;
  }

  /** Whether {@code spec} is P-384. */
  public static boolean isP384(ECParameterSpec spec) {
    return spec != null && spec.getCurve().equals(PARAMS.getCurve())
        && spec.getGenerator().equals(PARAMS.getGenerator())
        && spec.getOrder().equals(PARAMS.getOrder()) && spec.getCofactor() == PARAMS.getCofactor();
  }

  /** A fresh key pair. */
  public static KeyPair generate() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp384r1"), new SecureRandom());
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot make P-384 keys", e);
    }
  }

  /**
   * The P-384 public key in {@code spki} (DER SubjectPublicKeyInfo), which must be in canonical
   * form (named curve, uncompressed point) so that the signer id is well defined.
   */
  public static ECPublicKey publicKeyFromSpki(byte[] spki) throws InvalidKeyException {
    PublicKey key;
    try {
      key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(spki));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new InvalidKeyException("the public key is not an EC public key (cella uses ECDSA P-384)");
    }
    ECPublicKey ec = checkPublicKey(key);
    if (!Arrays.equals(ec.getEncoded(), spki)) {
      throw new InvalidKeyException(
          "the public key is not in canonical form (named curve secp384r1, uncompressed point)");
    }
    return ec;
  }

  /** {@code key} as a P-384 public key, or a refusal naming what it is. */
  public static ECPublicKey checkPublicKey(PublicKey key) throws InvalidKeyException {
    if (!(key instanceof ECPublicKey ec)) {
      throw new InvalidKeyException("the public key is a " + key.getAlgorithm()
          + " key; cella signs bundles with ECDSA P-384");
    }
    if (!isP384(ec.getParams())) {
      throw new InvalidKeyException("the public key is an EC key on a "
          + ec.getParams().getCurve().getField().getFieldSize()
          + "-bit curve; cella signs bundles with ECDSA P-384 (secp384r1)");
    }
    return ec;
  }

  /** The signer id of {@code key}: SHA-384 of its DER SubjectPublicKeyInfo. */
  public static SignerId signerId(PublicKey key) {
    return SignerId.of(sha384(key.getEncoded()));
  }

  /** A DER ECDSA signature of {@code payload} with SHA-384. */
  public static byte[] sign(PrivateKey key, byte[] payload) throws InvalidKeyException {
    try {
      Signature s = Signature.getInstance("SHA384withECDSA");
      s.initSign(key, new SecureRandom());
      s.update(payload);
      return s.sign();
    } catch (InvalidKeyException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot sign with SHA384withECDSA", e);
    }
  }

  /** Whether {@code signature} (DER) is a valid signature of {@code payload} by {@code key}. */
  public static boolean verifies(PublicKey key, byte[] payload, byte[] signature) {
    try {
      Signature s = Signature.getInstance("SHA384withECDSA");
      s.initVerify(key);
      s.update(payload);
      return s.verify(signature);
    } catch (SignatureException | InvalidKeyException e) {
      return false;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot verify SHA384withECDSA", e);
    }
  }

  /** SHA-384 of {@code data}. */
  public static byte[] sha384(byte[] data) {
    return digest().digest(data);
  }

  /** A new SHA-384 digest. */
  public static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-384");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no SHA-384", e);
    }
  }

  private static ECParameterSpec params() {
    try {
      AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
      p.init(new ECGenParameterSpec("secp384r1"));
      return p.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK does not know the P-384 curve", e);
    }
  }
}
