package dev.cella.bundle;

import dev.cella.EnclaveIdentity;
import dev.cella.Measurement;
import dev.cella.PlatformKind;
import dev.cella.SignerId;
import dev.cella.bundle.InvalidBundleException.Reason;
import dev.cella.bundle.internal.BundleLayout;
import dev.cella.bundle.internal.MeasurementCalculator;
import dev.cella.bundle.internal.MeasurementCalculator.EntryDigest;
import dev.cella.bundle.internal.P384;
import dev.cella.bundle.internal.ParsedBundle;
import dev.cella.bundle.internal.SignatureFile;
import dev.cella.bundle.internal.ZipReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * A bundle as a runtime runs it: the manifest and signature of a bundle file, with the jars on the
 * runtime's class path in place of the bundle's {@code lib/} entries. {@link #measure} hashes each
 * jar file once and computes the bundle measurement from those digests and the bundle's manifest,
 * so the identity it returns is that of the code the runtime loads, not of the copies inside the
 * bundle file (which it neither reads, unpacks nor hashes: the file is mapped, and only its ZIP
 * headers, manifest and signature are touched). It returns only when the class path holds
 * exactly the bundle's jars — the same file names, each with the size and CRC-32 the bundle's ZIP
 * headers declare — and the bundle's signature verifies over the measurement computed from the
 * jar files: a jar more or less, a changed jar or another bundle's manifest is refused. The
 * identity is then the one {@link Bundle#open} gives for the bundle file.
 *
 * <pre>{@code
 * LoadedBundle loaded = LoadedBundle.measure(Path.of("/cella/bundle.cella"), classPathJars);
 * EnclaveIdentity measured = loaded.identity(PlatformKind.PROCESS);
 * }</pre>
 *
 * <p>Reads the files once; later changes to them do not matter. Immutable and thread-safe.
 */
public final class LoadedBundle {
  private static final int READ_CHUNK = 1 << 20;

  private final Manifest manifest;
  private final Measurement measurement;
  private final SignerId signer;

  private LoadedBundle(Manifest manifest, Measurement measurement, SignerId signer) {
    this.manifest = manifest;
    this.measurement = measurement;
    this.signer = signer;
  }

  /**
   * Measures the jars {@code classPath} as the {@code lib/} entries of the bundle file {@code
   * bundleFile} and verifies the bundle's signature over the result.
   *
   * @throws InvalidBundleException {@code CLASS_PATH_MISMATCH} when the class path is not the
   *     bundle's jars (names, sizes, CRCs) or does not measure as the bundle was signed; the
   *     bundle file's own refusals ({@code UNSIGNED}, {@code INVALID_MANIFEST}, …) otherwise
   */
  public static LoadedBundle measure(Path bundleFile, List<Path> classPath)
      throws IOException, InvalidBundleException {
    // Mapped, not read: the jars' data in the bundle file is never touched.
    BundleLayout.Listing listing = BundleLayout.list(ZipReader.list(
        ParsedBundle.mapFile(bundleFile), ParsedBundle.MAX_ENTRIES,
        ParsedBundle.MAX_CONTENT_BYTES, name -> name.startsWith(BundleLayout.LIB)));
    byte[] manifestJson = listing.manifest().content();
    Manifest manifest = Manifest.fromJson(manifestJson);
    if (listing.signatureOrNull() == null) {
      throw new InvalidBundleException(Reason.UNSIGNED,
          "the bundle is unsigned (it has no cella/signature); sign it with cella sign");
    }
    SignatureFile signature = SignatureFile.read(listing.signatureOrNull().content());
    Map<String, Path> jars = byName(classPath, listing.libraries());
    Map<String, EntryDigest> digests = new HashMap<>();
    digests.put(listing.manifest().name(), new EntryDigest(manifestJson.length,
        P384.sha384(manifestJson)));
    long budget = ParsedBundle.MAX_CONTENT_BYTES - manifestJson.length;
    MessageDigest sha = P384.digest();
    CRC32 crc = new CRC32();
    byte[] buffer = new byte[READ_CHUNK];
    for (Map.Entry<String, ZipReader.Entry> library : listing.libraries().entrySet()) {
      Path jar = jars.get(library.getKey());
      long length = hash(jar, buffer, sha, crc, budget);
      budget -= length;
      if (length != library.getValue().size() || (int) crc.getValue() != library.getValue().crc()) {
        throw mismatch(jar.getFileName() + " differs from the bundle's copy ("
            + (length != library.getValue().size()
                ? length + " bytes, the bundle's " + library.getValue().size()
                : "another CRC-32") + ")");
      }
      digests.put(BundleLayout.LIB + library.getKey(), new EntryDigest(length, sha.digest()));
      crc.reset();
    }
    Measurement measurement = MeasurementCalculator.measureDigests(digests);
    if (!P384.verifies(signature.publicKey(),
        SigningPayload.of(measurement, manifest).toBytes(), signature.signature())) {
      throw mismatch("the jars with the bundle's manifest measure as " + measurement
          + ", which the bundle's signature does not cover: they, or the bundle, are not the"
          + " ones that were signed");
    }
    return new LoadedBundle(manifest, measurement, P384.signerId(signature.publicKey()));
  }

  /** The class path by file name, when its names are exactly the bundle's jars. */
  private static Map<String, Path> byName(List<Path> classPath,
      TreeMap<String, ZipReader.Entry> libraries) throws InvalidBundleException {
    Map<String, Path> onPath = new TreeMap<>();
    for (Path jar : classPath) {
      if (jar.toString().isEmpty()) {
        throw mismatch("the class path has an empty entry, which puts the working directory on it");
      }
      Path name = jar.getFileName();
      if (name == null || onPath.put(name.toString(), jar) != null) {
        throw mismatch("class path entry " + jar + " is not a uniquely named jar");
      }
    }
    if (!onPath.keySet().equals(libraries.keySet())) {
      List<String> extra = new ArrayList<>(onPath.keySet());
      extra.removeAll(libraries.keySet());
      List<String> missing = new ArrayList<>(libraries.keySet());
      missing.removeAll(onPath.keySet());
      throw mismatch("jars not in the bundle " + extra + ", bundle jars missing " + missing);
    }
    return onPath;
  }

  /** Feeds {@code jar} to {@code sha} and {@code crc}; returns its length. */
  private static long hash(Path jar, byte[] buffer, MessageDigest sha, CRC32 crc, long budget)
      throws IOException, InvalidBundleException {
    long length = 0;
    try (InputStream in = Files.newInputStream(jar)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        length += n;
        if (length > budget) {
          throw new InvalidBundleException(Reason.TOO_LARGE, "the jars on the class path hold"
              + " more than the " + ParsedBundle.MAX_CONTENT_BYTES + " bytes a bundle may hold");
        }
        sha.update(buffer, 0, n);
        crc.update(buffer, 0, n);
      }
    }
    return length;
  }

  private static InvalidBundleException mismatch(String why) {
    return new InvalidBundleException(Reason.CLASS_PATH_MISMATCH, why);
  }

  /** The bundle's manifest, verified with the rest. */
  public Manifest manifest() {
    return manifest;
  }

  /** The measurement of the manifest and the jars as loaded. */
  public Measurement measurement() {
    return measurement;
  }

  /** Who signed that measurement: SHA-384 of the signer's DER SubjectPublicKeyInfo. */
  public SignerId signer() {
    return signer;
  }

  /** The identity of the loaded code as run by {@code platform}. */
  public EnclaveIdentity identity(PlatformKind platform) {
    return new EnclaveIdentity(measurement, signer, manifest.productId(), manifest.svn(),
        manifest.debug(), platform);
  }

  @Override
  public String toString() {
    return "LoadedBundle[" + manifest.name() + ", measurement " + measurement + ", signer "
        + signer + "]";
  }
}
