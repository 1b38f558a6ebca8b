package dev.cella.bundle;

import dev.cella.SignerId;
import dev.cella.bundle.internal.P384;
import dev.cella.bundle.internal.Pem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.List;

/**
 * Signers' public keys: read from PEM (a {@code CERTIFICATE} or a {@code PUBLIC KEY}), written as
 * PEM, and their {@link SignerId}. Used when a signature made elsewhere is imported.
 *
 * <p>Example: {@code ECPublicKey key = SignerKeys.readPublicKeyPem(Path.of("signer.crt"));}
 *
 * <p>Stateless and thread-safe.
 */
public final class SignerKeys {
  private SignerKeys() {}

  /**
   * The P-384 public key in a PEM file: the first {@code CERTIFICATE} (its subject key; the
   * certificate itself is not validated, only its key is used) or a {@code PUBLIC KEY}.
   *
   * @throws InvalidKeyException the file holds no P-384 public key
   */
  public static ECPublicKey readPublicKeyPem(Path file) throws IOException, InvalidKeyException {
    return parsePublicKeyPem(Files.readAllBytes(file), file.toString());
  }

  /** As {@link #readPublicKeyPem}, from PEM text; {@code source} names it in messages. */
  public static ECPublicKey parsePublicKeyPem(byte[] pemText, String source) throws InvalidKeyException {
    List<Pem.Block> blocks;
    try {
      blocks = Pem.parse(pemText);
    } catch (Pem.PemException e) {
      throw new InvalidKeyException(source + ": " + e.getMessage()
          + "; give the signer's certificate or public key as PEM");
    }
    for (Pem.Block block : blocks) {
      try {
        if (block.label().equals("PUBLIC KEY")) {
          return P384.publicKeyFromSpki(block.der());
        }
        if (block.label().equals("CERTIFICATE")) {
          X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(block.der()));
          return P384.publicKeyFromSpki(cert.getPublicKey().getEncoded());
        }
      } catch (InvalidKeyException e) {
        throw new InvalidKeyException(source + ": " + e.getMessage());
      } catch (CertificateException e) {
        throw new InvalidKeyException(source + ": the certificate cannot be parsed: " + e.getMessage());
      }
    }
    throw new InvalidKeyException(source + " holds no CERTIFICATE or PUBLIC KEY block"
        + " (found: " + blocks.stream().map(Pem.Block::label).toList() + ")");
  }

  /** {@code key} as a PEM {@code PUBLIC KEY} block. */
  public static String toPem(ECPublicKey key) {
    return new String(Pem.write("PUBLIC KEY", key.getEncoded()), StandardCharsets.US_ASCII);
  }

  /** The signer id of {@code key}: SHA-384 of its DER SubjectPublicKeyInfo. */
  public static SignerId signerId(ECPublicKey key) {
    return P384.signerId(key);
  }
}
