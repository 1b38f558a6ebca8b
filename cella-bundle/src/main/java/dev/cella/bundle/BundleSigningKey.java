package dev.cella.bundle;

import dev.cella.SignerId;
import dev.cella.bundle.internal.P384;
import dev.cella.bundle.internal.Pem;
import dev.cella.bundle.internal.Pkcs8;
import dev.cella.bundle.internal.SecureFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.List;
import javax.security.auth.DestroyFailedException;

/**
 * An ECDSA P-384 key that signs bundles. A secret: no {@code equals}, {@code hashCode} or {@code
 * toString}; the key leaves only through {@link #writePem}, to an owner-only file. Key files are
 * PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}) holding the public key too, as OpenSSL writes
 * them.
 *
 * <pre>{@code
 * try (BundleSigningKey key = BundleSigningKey.generate()) {
 *   key.writePem(Path.of("signing.pem"), false);   // 0600, refuses to overwrite
 *   System.out.println(key.signerId());
 * }
 * }</pre>
 *
 * <p>Thread-safe for signing; {@link #close()} makes the key unusable. The JDK's own key object
 * cannot be wiped (its {@code destroy()} is unsupported); this class drops it on close and wipes
 * every copy of the secret it made itself.
 */
public final class BundleSigningKey implements AutoCloseable {
  private volatile PrivateKey privateKey;
  private final ECPublicKey publicKey;

  private BundleSigningKey(PrivateKey privateKey, ECPublicKey publicKey) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
  }

  /** A fresh random key. */
  public static BundleSigningKey generate() {
    KeyPair pair = P384.generate();
    return new BundleSigningKey(pair.getPrivate(), (ECPublicKey) pair.getPublic());
  }

  /**
   * Reads a PKCS#8 PEM key file. SEC1 ({@code EC PRIVATE KEY}) and encrypted keys are refused with
   * the command that converts them; keys on other curves or of other algorithms are refused.
   *
   * @throws InvalidKeyException the file does not hold a usable P-384 private key
   */
  public static BundleSigningKey readPem(Path file) throws IOException, InvalidKeyException {
    byte[] text = Files.readAllBytes(file);
    try {
      return fromPem(text, file.toString());
    } finally {
      Arrays.fill(text, (byte) 0);
    }
  }

  /** Parses PKCS#8 PEM text; {@code source} names it in messages. */
  public static BundleSigningKey fromPem(byte[] pemText, String source) throws InvalidKeyException {
    List<Pem.Block> blocks;
    try {
      blocks = Pem.parse(pemText);
    } catch (Pem.PemException e) {
      throw new InvalidKeyException(source + ": " + e.getMessage()
          + "; cella reads signing keys as PKCS#8 PEM (-----BEGIN PRIVATE KEY-----)");
    }
    Pem.Block block = null;
    for (Pem.Block b : blocks) {
      if (!b.label().equals("EC PARAMETERS")) {
        if (block == null) {
          block = b;
        }
      }
    }
    try {
      if (block == null) {
        throw new InvalidKeyException(source + " holds only EC parameters, no key");
      }
      String convert = "; convert it with: openssl pkcs8 -topk8 -nocrypt -in " + source
          + " -out key-pkcs8.pem";
      switch (block.label()) {
        case "PRIVATE KEY" -> { }
        case "EC PRIVATE KEY" -> throw new InvalidKeyException(source
            + " holds a SEC1 'EC PRIVATE KEY'; cella reads PKCS#8 ('PRIVATE KEY')" + convert);
        case "ENCRYPTED PRIVATE KEY" -> throw new InvalidKeyException(source
            + " holds an encrypted key; cella reads unencrypted PKCS#8 keys (keep the file owner-only)"
            + convert);
        default -> throw new InvalidKeyException(source + " holds a '" + block.label()
            + "' block, not a private key ('PRIVATE KEY')");
      }
      return fromPkcs8(block.der(), source);
    } finally {
      for (Pem.Block b : blocks) {
        Arrays.fill(b.der(), (byte) 0);
      }
    }
  }

  private static BundleSigningKey fromPkcs8(byte[] der, String source) throws InvalidKeyException {
    Pkcs8.Decoded decoded;
    try {
      decoded = Pkcs8.decode(der);
    } catch (InvalidKeyException e) {
      throw new InvalidKeyException(source + ": " + e.getMessage());
    }
    byte[] jdkDer = Pkcs8.encodeForJdk(decoded.scalar());
    Arrays.fill(decoded.scalar(), (byte) 0);
    try {
      if (decoded.publicPoint() == null) {
        throw new InvalidKeyException(source + " does not include its public key; rewrite it with:"
            + " openssl pkcs8 -topk8 -nocrypt -in " + source + " -out key-pkcs8.pem");
      }
      KeyFactory factory = KeyFactory.getInstance("EC");
      PrivateKey privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(jdkDer));
      ECPublicKey publicKey = (ECPublicKey) factory.generatePublic(
          new ECPublicKeySpec(Pkcs8.pointOf(decoded.publicPoint()), P384.parameters()));
      byte[] probe = "cella key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      if (!P384.verifies(publicKey, probe, P384.sign(privateKey, probe))) {
        throw new InvalidKeyException(source + ": its public key does not belong to its private key");
      }
      return new BundleSigningKey(privateKey, publicKey);
    } catch (InvalidKeyException e) {
      throw e;
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new InvalidKeyException(source + ": not a usable P-384 key (" + e.getMessage() + ")");
    } finally {
      Arrays.fill(jdkDer, (byte) 0);
    }
  }

  /**
   * Writes the key as PKCS#8 PEM with owner-only permissions (0600, set when the file is created).
   *
   * @param replaceExisting whether an existing file is replaced (atomically); otherwise an
   *     existing file fails with {@link java.nio.file.FileAlreadyExistsException}
   */
  public void writePem(Path file, boolean replaceExisting) throws IOException {
    byte[] scalar;
    try {
      scalar = Pkcs8.scalarOf(key());
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("the JDK's key has no PKCS#8 encoding", e);
    }
    byte[] der = Pkcs8.encode(scalar, publicKey);
    byte[] pem = Pem.write("PRIVATE KEY", der);
    try {
      SecureFiles.writeOwnerOnly(file, pem, replaceExisting);
    } finally {
      Arrays.fill(scalar, (byte) 0);
      Arrays.fill(der, (byte) 0);
      Arrays.fill(pem, (byte) 0);
    }
  }

  /** The public key, whose SubjectPublicKeyInfo goes into {@code cella/signature}. */
  public ECPublicKey publicKey() {
    return publicKey;
  }

  /** The signer id: SHA-384 of the public key's DER SubjectPublicKeyInfo. */
  public SignerId signerId() {
    return P384.signerId(publicKey);
  }

  /** A DER ECDSA P-384/SHA-384 signature of {@code payload}. */
  public byte[] sign(byte[] payload) {
    try {
      return P384.sign(key(), payload);
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("the signing key was refused by the JDK", e);
    }
  }

  /** Drops the key; later use fails with {@link IllegalStateException}. Idempotent. */
  @Override
  public void close() {
    PrivateKey k = privateKey;
    privateKey = null;
    if (k != null && !k.isDestroyed()) {
      try {
        k.destroy();
      } catch (DestroyFailedException | RuntimeException e) {
        // The JDK's EC keys do not support destroy(); dropping the reference is all we can do.
      }
    }
  }

  private PrivateKey key() {
    PrivateKey k = privateKey;
    if (k == null) {
      throw new IllegalStateException("the signing key is closed");
    }
    return k;
  }
}
