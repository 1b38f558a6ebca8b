package dev.cella.bundle.internal;

import dev.cella.Measurement;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The bundle measurement of format 1, SHA-384 over:
 *
 * <pre>
 * "CELLA-BUNDLE-MEASUREMENT-V1" (ASCII) || 0x00
 * then for each entry except cella/signature, sorted by the unsigned bytes of its UTF-8 path:
 *   u32 BE path length || path bytes || u64 BE content length || SHA-384(content) (48 bytes)
 * </pre>
 *
 * It depends only on entry paths and contents, never on ZIP metadata, order or compression.
 */
public final class MeasurementCalculator {
  /** The domain separator (followed by one 0x00 byte). */
  public static final String DOMAIN = "CELLA-BUNDLE-MEASUREMENT-V1";

  private MeasurementCalculator() {}

  /** The measurement of {@code entries} (path → content); the signature must not be among them. */
  public static Measurement measure(Map<String, byte[]> entries) {
    MessageDigest inner = P384.digest();
    Map<String, EntryDigest> digests = new HashMap<>();
    entries.forEach((path, content) ->
        digests.put(path, new EntryDigest(content.length, inner.digest(content))));
    return measureDigests(digests);
  }

  /**
   * The measurement of entries given by their lengths and SHA-384 digests (path → digest), for a
   * reader that hashed the contents itself; the same value as {@link #measure} over the contents.
   */
  public static Measurement measureDigests(Map<String, EntryDigest> entries) {
    if (entries.containsKey(BundleLayout.SIGNATURE)) {
      throw new IllegalArgumentException(BundleLayout.SIGNATURE + " is not measured");
    }
    List<byte[]> paths = entries.keySet().stream()
        .map(p -> p.getBytes(StandardCharsets.UTF_8))
        .sorted(Arrays::compareUnsigned)
        .toList();
    MessageDigest outer = P384.digest();
    outer.update(DOMAIN.getBytes(StandardCharsets.US_ASCII));
    outer.update((byte) 0);
    for (byte[] path : paths) {
      EntryDigest entry = entries.get(new String(path, StandardCharsets.UTF_8));
      outer.update(ByteBuffer.allocate(4).putInt(path.length).array());
      outer.update(path);
      outer.update(ByteBuffer.allocate(8).putLong(entry.length()).array());
      outer.update(entry.sha384());
    }
    return Measurement.of(outer.digest());
  }

  /**
   * An entry as the measurement sees it.
   *
   * @param length the content's length in bytes
   * @param sha384 SHA-384 of the content (48 bytes)
   */
  public record EntryDigest(long length, byte[] sha384) {}
}
