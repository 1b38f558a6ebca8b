package dev.cella.bundle;

import dev.cella.Measurement;
import dev.cella.bundle.InvalidBundleException.Reason;
import dev.cella.bundle.internal.P384;
import dev.cella.bundle.internal.ParsedBundle;
import dev.cella.bundle.internal.SignatureFile;
import java.io.IOException;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.SequencedMap;

/**
 * A bundle's contents, checked in structure and manifest, for signing: one-step with a {@link
 * BundleSigningKey}, or two-step by exporting the {@link #signingPayload()} and attaching a
 * signature made elsewhere (an HSM, {@code openssl dgst -sha384 -sign}). A signature the bundle
 * already has is ignored, never trusted, and replaced by signing. Nothing read here is verified:
 * run enclaves only from a {@link Bundle}.
 *
 * <pre>{@code
 * UnsignedBundle unsigned = UnsignedBundle.open(path);
 * Files.write(payloadFile, unsigned.signingPayload().toBytes());
 * // ... openssl dgst -sha384 -sign key.pem -out sig.der payload.bin ...
 * byte[] signed = unsigned.attachSignature(Files.readAllBytes(sigFile), SignerKeys.readPublicKeyPem(cert));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class UnsignedBundle {
  private final ParsedBundle parsed;

  UnsignedBundle(ParsedBundle parsed) {
    this.parsed = parsed;
  }

  /** Reads {@code file} for signing. */
  public static UnsignedBundle open(Path file) throws IOException, InvalidBundleException {
    return read(ParsedBundle.readFile(file));
  }

  /** Reads a bundle held in memory for signing. */
  public static UnsignedBundle read(byte[] bundle) throws InvalidBundleException {
    return new UnsignedBundle(ParsedBundle.parse(bundle));
  }

  /** The manifest (checked, not authenticated). */
  public Manifest manifest() {
    return parsed.manifest();
  }

  /** The measurement of the contents. */
  public Measurement measurement() {
    return parsed.measurement();
  }

  /** Whether the bundle as read had a {@code cella/signature} (not verified). */
  public boolean hadSignature() {
    return parsed.layout().signatureOrNull() != null;
  }

  /** The payload to sign. */
  public SigningPayload signingPayload() {
    return parsed.payload();
  }

  /** The jars, file name → copy of the content, sorted by name. */
  public SequencedMap<String, byte[]> libraries() {
    LinkedHashMap<String, byte[]> copy = new LinkedHashMap<>();
    parsed.layout().libraries().forEach((name, content) -> copy.put(name, content.clone()));
    return Collections.unmodifiableSequencedMap(copy);
  }

  /** The bundle without any signature, written deterministically. */
  public byte[] toBytes() {
    return parsed.write(null);
  }

  /** The bundle signed by {@code key}, written deterministically. */
  public byte[] sign(BundleSigningKey key) {
    byte[] signature = key.sign(parsed.payload().toBytes());
    return parsed.write(new SignatureFile(key.publicKey(), signature).toJson());
  }

  /**
   * The bundle with a signature made elsewhere: {@code derSignature} is a DER ECDSA P-384/SHA-384
   * signature of {@link #signingPayload()} by {@code signerKey}. The signature is verified before
   * anything is written.
   *
   * @throws InvalidBundleException {@code MALFORMED_SIGNATURE} if the key is not P-384, {@code
   *     BAD_SIGNATURE} if the signature does not verify with it
   */
  public byte[] attachSignature(byte[] derSignature, PublicKey signerKey) throws InvalidBundleException {
    ECPublicKey key;
    try {
      key = P384.publicKeyFromSpki(signerKey.getEncoded());
    } catch (InvalidKeyException e) {
      throw new InvalidBundleException(Reason.MALFORMED_SIGNATURE, "the signer's key is refused: "
          + e.getMessage());
    }
    if (!P384.verifies(key, parsed.payload().toBytes(), derSignature)) {
      throw new InvalidBundleException(Reason.BAD_SIGNATURE, "the signature does not verify over"
          + " this bundle's payload with the signer's key: it was made over another payload"
          + " (export it again), with another key, or it is not a DER ECDSA P-384/SHA-384 signature");
    }
    byte[] bundle = parsed.write(new SignatureFile(key, derSignature.clone()).toJson());
    try {
      Bundle.read(bundle);
    } catch (InvalidBundleException e) {
      throw new IllegalStateException("a freshly signed bundle does not verify", e);
    }
    return bundle;
  }
}
