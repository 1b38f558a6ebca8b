package dev.cella.maven.internal;

import dev.cella.bundle.Bundle;
import dev.cella.bundle.BundleSigningKey;
import dev.cella.bundle.InvalidBundleException;
import dev.cella.bundle.SignerKeys;
import dev.cella.bundle.UnsignedBundle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.InvalidKeyException;
import java.security.interfaces.ECPublicKey;

/**
 * Writing what the goals produce: signed bundles (verified after signing), the unsigned bundle
 * and payload of two-step signing, imported signatures, and measurement files. Every file is
 * written atomically, so a failed build never leaves a half-written bundle.
 *
 * <p>Stateless and thread-safe.
 */
public final class BundleFiles {
  private BundleFiles() {}

  /** Signs {@code unsigned} with {@code key}, writes it to {@code out} and returns it verified. */
  public static Bundle writeSigned(UnsignedBundle unsigned, BundleSigningKey key, Path out)
      throws IOException, InvalidBundleException {
    byte[] signed = unsigned.sign(key);
    Bundle verified = Bundle.read(signed);
    writeAtomically(out, signed);
    return verified;
  }

  /** Writes the unsigned bundle and its signing payload, for signing elsewhere. */
  public static void writeForExternalSigning(UnsignedBundle unsigned, Path unsignedFile,
      Path payloadFile) throws IOException {
    writeAtomically(unsignedFile, unsigned.toBytes());
    writeAtomically(payloadFile, unsigned.signingPayload().toBytes());
  }

  /**
   * Attaches a DER ECDSA P-384/SHA-384 signature made elsewhere over {@code unsigned}'s payload by
   * the key in {@code signerCertificate} (a PEM certificate or public key), writes the signed
   * bundle to {@code out} and returns it verified.
   *
   * @throws InvalidBundleException if the signature does not verify over this bundle's payload
   * @throws InvalidKeyException if the certificate holds no P-384 key
   */
  public static Bundle importSignature(UnsignedBundle unsigned, Path signature,
      Path signerCertificate, Path out)
      throws IOException, InvalidBundleException, InvalidKeyException {
    ECPublicKey signer = SignerKeys.readPublicKeyPem(signerCertificate);
    byte[] signed = unsigned.attachSignature(Files.readAllBytes(signature), signer);
    Bundle verified = Bundle.read(signed);
    writeAtomically(out, signed);
    return verified;
  }

  /** Writes the measurement's hex form and a newline to {@code file}. */
  public static void writeMeasurement(String hex, Path file) throws IOException {
    writeAtomically(file, (hex + "\n").getBytes(StandardCharsets.US_ASCII));
  }

  /** Writes {@code content} to {@code target} through a temporary file in the same folder. */
  public static void writeAtomically(Path target, byte[] content) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, "." + absolute.getFileName(), ".tmp");
    try {
      Files.write(temp, content);
      try {
        Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
