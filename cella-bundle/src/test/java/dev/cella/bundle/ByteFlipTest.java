package dev.cella.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cella.Bytes;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Flips every byte of a small signed bundle, one at a time. Each flip must be refused, or leave
 * everything measured (and the signer) as it was: only unauthenticated ZIP metadata ("version
 * made by" and file attributes in the central directory) may change unnoticed.
 */
class ByteFlipTest {

  @Test
  void everySingleByteFlip_isRefusedOrChangesNothingMeasured() throws Exception {
    byte[] original;
    try (BundleSigningKey key = BundleSigningKey.generate()) {
      original = BundleBuilder.create(Manifest.builder().name("t").entry("a.B").build())
          .addLibrary("a.jar", Fixtures.jar("x", "y")).buildSigned(key);
    }
    Bundle reference = Bundle.read(original);
    Map<String, Bytes> referenceLibraries = bytesOf(reference);
    assertThat(original.length).isLessThan(4096);
    int end = original.length - 22;
    int centralDirectoryOffset = java.nio.ByteBuffer.wrap(original, end + 16, 4)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
    Map<InvalidBundleException.Reason, Integer> refusals = new EnumMap<>(InvalidBundleException.Reason.class);
    int accepted = 0;
    for (int mask : new int[] {0x01, 0xFF}) {
      for (int i = 0; i < original.length; i++) {
        byte[] flipped = original.clone();
        flipped[i] ^= (byte) mask;
        Bundle bundle;
        try {
          bundle = Bundle.read(flipped);
        } catch (InvalidBundleException e) {
          refusals.merge(e.reason(), 1, Integer::sum);
          continue;
        }
        accepted++;
        String where = "flip 0x" + Integer.toHexString(mask) + " at offset " + i;
        assertThat(i).as(where + " (accepted flips lie in the central directory's metadata)")
            .isGreaterThanOrEqualTo(centralDirectoryOffset);
        assertThat(bundle.measurement()).as(where).isEqualTo(reference.measurement());
        assertThat(bundle.signer()).as(where).isEqualTo(reference.signer());
        assertThat(bundle.manifest()).as(where).isEqualTo(reference.manifest());
        assertThat(bytesOf(bundle)).as(where).isEqualTo(referenceLibraries);
      }
    }
    assertThat(refusals.values().stream().mapToInt(Integer::intValue).sum() + accepted)
        .isEqualTo(2 * original.length);
    assertThat(refusals).containsKey(InvalidBundleException.Reason.CORRUPT_ARCHIVE);
  }

  private static Map<String, Bytes> bytesOf(Bundle bundle) {
    Map<String, Bytes> out = new java.util.TreeMap<>();
    bundle.libraries().forEach((k, v) -> out.put(k, Bytes.of(v)));
    return out;
  }
}
