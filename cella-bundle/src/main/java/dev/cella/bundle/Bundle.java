package dev.cella.bundle;

import dev.cella.EnclaveIdentity;
import dev.cella.Measurement;
import dev.cella.PlatformKind;
import dev.cella.SignerId;
import dev.cella.bundle.InvalidBundleException.Reason;
import dev.cella.bundle.internal.P384;
import dev.cella.bundle.internal.ParsedBundle;
import dev.cella.bundle.internal.SecureFiles;
import dev.cella.bundle.internal.SignatureFile;
import java.io.IOException;
import java.nio.file.Path;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;

/**
 * A verified bundle: {@link #open} and {@link #read} return only after the archive structure, the
 * manifest, the measurement and the signature have all been checked, so every accessor gives
 * verified data. The file is read into memory once; later changes to it do not matter.
 *
 * <pre>{@code
 * Bundle bundle = Bundle.open(Path.of("app.cella"));   // throws InvalidBundleException
 * EnclaveIdentity id = bundle.identity(PlatformKind.SIM);
 * List<Path> classPath = bundle.writeLibraries(privateDir);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class Bundle {
  /** The largest bundle file accepted, in bytes (512 MiB). */
  public static final long MAX_BUNDLE_BYTES = ParsedBundle.MAX_BUNDLE_BYTES;

  private final ParsedBundle parsed;
  private final ECPublicKey signerKey;
  private final SignerId signer;

  private Bundle(ParsedBundle parsed, ECPublicKey signerKey) {
    this.parsed = parsed;
    this.signerKey = signerKey;
    this.signer = P384.signerId(signerKey);
  }

  /** Reads and verifies the bundle file {@code file}. */
  public static Bundle open(Path file) throws IOException, InvalidBundleException {
    return read(ParsedBundle.readFile(file));
  }

  /** Verifies a bundle held in memory. */
  public static Bundle read(byte[] bundle) throws InvalidBundleException {
    ParsedBundle parsed = ParsedBundle.parse(bundle);
    byte[] signatureJson = parsed.layout().signatureOrNull();
    if (signatureJson == null) {
      throw new InvalidBundleException(Reason.UNSIGNED,
          "the bundle is unsigned (it has no cella/signature); sign it with cella sign");
    }
    SignatureFile signature = SignatureFile.read(signatureJson);
    if (!P384.verifies(signature.publicKey(), parsed.payload().toBytes(), signature.signature())) {
      throw new InvalidBundleException(Reason.BAD_SIGNATURE, "the bundle's signature does not"
          + " verify: its contents were changed after signing, or it was signed by another key"
          + " than the one in cella/signature; rebuild or re-sign it");
    }
    return new Bundle(parsed, signature.publicKey());
  }

  /** The verified manifest. */
  public Manifest manifest() {
    return parsed.manifest();
  }

  /** The measurement: SHA-384 over the canonical list of the bundle's entries. */
  public Measurement measurement() {
    return parsed.measurement();
  }

  /** Who signed the bundle: SHA-384 of the signer's DER SubjectPublicKeyInfo. */
  public SignerId signer() {
    return signer;
  }

  /** The signer's public key, as found in {@code cella/signature} and verified. */
  public ECPublicKey signerPublicKey() {
    return signerKey;
  }

  /** What was signed. */
  public SigningPayload signingPayload() {
    return parsed.payload();
  }

  /** The identity of this bundle as run by {@code platform}. */
  public EnclaveIdentity identity(PlatformKind platform) {
    Manifest m = parsed.manifest();
    return new EnclaveIdentity(parsed.measurement(), signer, m.productId(), m.svn(), m.debug(), platform);
  }

  /** The jars, file name (without {@code lib/}) → copy of the content, sorted by name. */
  public SequencedMap<String, byte[]> libraries() {
    LinkedHashMap<String, byte[]> copy = new LinkedHashMap<>();
    parsed.layout().libraries().forEach((name, content) -> copy.put(name, content.clone()));
    return Collections.unmodifiableSequencedMap(copy);
  }

  /**
   * Writes the verified jars into {@code dir} (created owner-only if absent), each file 0600 and
   * created exclusively (an existing file is an error), and returns their paths in name order: the
   * enclave's class path.
   */
  public List<Path> writeLibraries(Path dir) throws IOException {
    SecureFiles.createOwnerOnlyDirectories(dir);
    List<Path> written = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : parsed.layout().libraries().entrySet()) {
      Path file = dir.resolve(e.getKey());
      SecureFiles.writeOwnerOnly(file, e.getValue(), false);
      written.add(file);
    }
    return List.copyOf(written);
  }

  @Override
  public String toString() {
    return "Bundle[" + parsed.manifest().name() + ", measurement " + parsed.measurement()
        + ", signer " + signer + "]";
  }
}
