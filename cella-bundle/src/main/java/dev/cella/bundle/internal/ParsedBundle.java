package dev.cella.bundle.internal;

import dev.cella.Measurement;
import dev.cella.bundle.InvalidBundleException;
import dev.cella.bundle.InvalidBundleException.Reason;
import dev.cella.bundle.Manifest;
import dev.cella.bundle.SigningPayload;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * A bundle whose structure and manifest have been checked and whose measurement is computed, but
 * whose signature has not been looked at. {@link dev.cella.bundle.Bundle} verifies it; {@link
 * dev.cella.bundle.UnsignedBundle} signs it.
 *
 * @param manifest the parsed manifest
 * @param layout the entries
 * @param measurement the measurement of every entry but the signature
 */
public record ParsedBundle(Manifest manifest, BundleLayout layout, Measurement measurement) {
  /** The largest bundle file accepted. */
  public static final long MAX_BUNDLE_BYTES = 512L << 20;
  /** The most bytes all entries may unpack to together. */
  public static final long MAX_CONTENT_BYTES = 1L << 30;
  /** The most entries a bundle may have. */
  public static final int MAX_ENTRIES = 1024;

  /** Reads {@code file} whole, refusing a file over the size limit before reading it. */
  public static byte[] readFile(Path file) throws IOException, InvalidBundleException {
    if (Files.isDirectory(file)) {
      throw new IOException(file + " is a folder, not a bundle file");
    }
    long size = Files.size(file);
    if (size > MAX_BUNDLE_BYTES) {
      throw tooLarge(file.toString(), size);
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes((int) MAX_BUNDLE_BYTES + 1);
      if (bytes.length > MAX_BUNDLE_BYTES) {
        throw tooLarge(file.toString(), bytes.length);
      }
      return bytes;
    }
  }

  /**
   * Maps {@code file} read-only, refusing a file over the size limit: for a reader that lists the
   * archive and reads only some entries ({@link ZipReader#list}), so that the others are never
   * read from the disk or copied.
   */
  public static ByteBuffer mapFile(Path file) throws IOException, InvalidBundleException {
    if (Files.isDirectory(file)) {
      throw new IOException(file + " is a folder, not a bundle file");
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size > MAX_BUNDLE_BYTES) {
        throw tooLarge(file.toString(), size);
      }
      return channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
    }
  }

  /** Checks structure and manifest and computes the measurement. */
  public static ParsedBundle parse(byte[] bundle) throws InvalidBundleException {
    if (bundle.length > MAX_BUNDLE_BYTES) {
      throw tooLarge("the bundle", bundle.length);
    }
    BundleLayout layout = BundleLayout.of(ZipReader.read(bundle, MAX_ENTRIES, MAX_CONTENT_BYTES));
    Manifest manifest = Manifest.fromJson(layout.manifest());
    return new ParsedBundle(manifest, layout, MeasurementCalculator.measure(layout.measuredEntries()));
  }

  /** The payload a signer signs for this bundle. */
  public SigningPayload payload() {
    return SigningPayload.of(measurement, manifest);
  }

  /** The bundle's bytes with {@code signatureJson} as its signature (or none, for null). */
  public byte[] write(byte[] signatureJson) {
    Map<String, byte[]> entries = new java.util.TreeMap<>(layout.measuredEntries());
    if (signatureJson != null) {
      entries.put(BundleLayout.SIGNATURE, signatureJson);
    }
    return ZipWriter.write(entries);
  }

  private static InvalidBundleException tooLarge(String what, long size) {
    return new InvalidBundleException(Reason.TOO_LARGE, what + " is " + size
        + " bytes; bundles may be at most " + MAX_BUNDLE_BYTES + " bytes (512 MiB)");
  }
}
