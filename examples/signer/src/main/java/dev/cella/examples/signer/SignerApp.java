package dev.cella.examples.signer;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.enclave.EnclaveContext;
import dev.cella.enclave.TrustedApplication;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;

/**
 * An enclave that makes an ECDSA P-384 key pair inside itself and signs what the host gives it.
 * The private key never leaves the enclave: only the public key and signatures do.
 *
 * <p>{@code run(content)} returns {@code [u32 length][public key, X.509 SubjectPublicKeyInfo DER]
 * [u32 length][signature, DER, SHA384withECDSA over content]}, lengths big-endian.
 */
public final class SignerApp implements TrustedApplication {
  private volatile KeyPair keyPair;

  @Override
  public void initialize(EnclaveContext context, byte[] config) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp384r1"));
      keyPair = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new EnclaveException(Code.INTERNAL, "cannot make a P-384 key: " + e.getMessage());
    }
  }

  @Override
  public byte[] run(byte[] content) {
    byte[] publicKey = keyPair.getPublic().getEncoded();
    byte[] signature = sign(content);
    return ByteBuffer.allocate(8 + publicKey.length + signature.length)
        .putInt(publicKey.length).put(publicKey)
        .putInt(signature.length).put(signature)
        .array();
  }

  private byte[] sign(byte[] content) {
    try {
      Signature signer = Signature.getInstance("SHA384withECDSA");
      signer.initSign(keyPair.getPrivate());
      signer.update(content);
      return signer.sign();
    } catch (GeneralSecurityException e) {
      throw new EnclaveException(Code.INTERNAL, "signing failed: " + e.getMessage());
    }
  }
}
