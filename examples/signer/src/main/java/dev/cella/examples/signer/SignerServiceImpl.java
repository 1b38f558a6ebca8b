package dev.cella.examples.signer;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.enclave.EnclaveContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * The enclave side of {@link SignerService}. The key pair is kept in the enclave's default sealed
 * file system (sealed to the signer and product, so a newer signed release keeps the key).
 */
public final class SignerServiceImpl implements SignerService {
  private static final String PRIVATE_KEY = "signing-key.pkcs8";
  private static final String PUBLIC_KEY = "signing-key.spki";

  private final EnclaveContext context;
  private KeyPair keyPair;

  public SignerServiceImpl(EnclaveContext context) {
    this.context = context;
  }

  @Override
  public Signed sign(byte[] content, byte[] nonce) {
    boolean created;
    KeyPair keys;
    synchronized (this) {
      created = keyPair == null && !loadKey();
      if (created) {
        keyPair = createKey();
      }
      keys = keyPair;
    }
    byte[] publicKey = keys.getPublic().getEncoded();
    byte[] evidence = context.evidence(nonce, sha384(publicKey));
    return new Signed(publicKey, sign(keys.getPrivate(), content), evidence, created);
  }

  /** Loads the key pair from sealed storage; false when there is none yet. */
  private boolean loadKey() {
    try {
      Path root = context.sealedFileSystem().getPath("/");
      byte[] encodedPrivate = Files.readAllBytes(root.resolve(PRIVATE_KEY));
      byte[] encodedPublic = Files.readAllBytes(root.resolve(PUBLIC_KEY));
      KeyFactory ec = KeyFactory.getInstance("EC");
      keyPair = new KeyPair(ec.generatePublic(new X509EncodedKeySpec(encodedPublic)),
          ec.generatePrivate(new PKCS8EncodedKeySpec(encodedPrivate)));
      Arrays.fill(encodedPrivate, (byte) 0);
      return true;
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      // Tampering, rollback or a broken host: refuse rather than silently making a new key.
      throw new EnclaveException(Code.DATA_LOSS, "the sealed signing key cannot be read: "
          + e.getMessage());
    } catch (GeneralSecurityException e) {
      throw new EnclaveException(Code.DATA_LOSS, "the sealed signing key is unusable");
    }
  }

  private KeyPair createKey() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp384r1"));
      KeyPair created = generator.generateKeyPair();
      Path root = context.sealedFileSystem().getPath("/");
      byte[] encodedPrivate = created.getPrivate().getEncoded();
      Files.write(root.resolve(PRIVATE_KEY), encodedPrivate);
      Arrays.fill(encodedPrivate, (byte) 0);
      Files.write(root.resolve(PUBLIC_KEY), created.getPublic().getEncoded());
      return created;
    } catch (GeneralSecurityException e) {
      throw new EnclaveException(Code.INTERNAL, "cannot make a P-384 key");
    } catch (IOException e) {
      throw new EnclaveException(Code.DATA_LOSS, "cannot seal the new signing key: "
          + e.getMessage());
    }
  }

  private static byte[] sign(PrivateKey key, byte[] content) {
    try {
      Signature signer = Signature.getInstance("SHA384withECDSA");
      signer.initSign(key);
      signer.update(content);
      return signer.sign();
    } catch (GeneralSecurityException e) {
      throw new EnclaveException(Code.INTERNAL, "signing failed");
    }
  }

  private static byte[] sha384(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-384").digest(bytes);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
