package dev.cella.bundle;

import dev.cella.testkit.AllocationBudget;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/**
 * What fuzzing found in this module, one test per finding (docs/fuzzing.md lists them); the
 * crashing inputs are also in the fuzz corpus as {@code crash-*}.
 */
class FuzzFindingsTest {
  private static final String BUNDLE_INPUTS =
      "BundleReadersFuzzTestInputs/bundle_anyBytes_isReadOrInvalidBundleException/";
  private static final String MANIFEST_INPUTS =
      "BundleReadersFuzzTestInputs/manifest_anyJson_parsesCanonicallyOrInvalidBundleException/";

  /**
   * A 984-byte bundle whose manifest entry declares 512 MiB made the reader allocate 512 MiB
   * before inflating a byte of it (per read: the fuzz target, reading twice, saw 1 GiB).
   */
  @Test
  void read_deflatedEntryDeclaringMoreThanItHolds_isRefusedWithoutAllocatingTheClaim()
      throws Exception {
    byte[] bundle = resource(BUNDLE_INPUTS + "crash-deflated-claimed-size");
    AllocationBudget.check(16 << 20, () ->
        assertThatThrownBy(() -> UnsignedBundle.read(bundle))
            .isInstanceOfSatisfying(InvalidBundleException.class,
                e -> assertThat(e.reason()).isEqualTo(InvalidBundleException.Reason.CORRUPT_ARCHIVE)));
  }

  /** The growing buffer of that fix still reads entries larger than its first size exactly. */
  @Test
  void read_deflatedEntryLargerThanTheFirstBuffer_readsExactly() throws Exception {
    byte[] jar = new byte[300_000];
    new Random(7).nextBytes(jar);
    for (int i = 0; i < jar.length; i += 3) {
      jar[i] = 0; // compressible, but not trivially
    }
    Map<String, byte[]> entries = new TreeMap<>();
    entries.put("cella/manifest.json", Manifest.builder().name("big").entry("A").build().toJson());
    entries.put("lib/app.jar", jar);
    UnsignedBundle read = UnsignedBundle.read(deflated(entries));
    assertThat(read.libraries().get("app.jar")).isEqualTo(jar);
  }

  /**
   * JSON that Jackson reads as UTF-32 (it starts with zero bytes) and that holds no valid UTF-32
   * character made JsonTree throw UncheckedIOException: Jackson reports it as a
   * CharConversionException, an IOException that is not a JsonProcessingException.
   */
  @Test
  void fromJson_undecodableUtf32_isInvalidManifest() throws Exception {
    byte[] json = resource(MANIFEST_INPUTS + "crash-utf32-undecodable");
    assertThatThrownBy(() -> Manifest.fromJson(json))
        .isInstanceOfSatisfying(InvalidBundleException.class,
            e -> assertThat(e.reason()).isEqualTo(InvalidBundleException.Reason.INVALID_MANIFEST))
        .hasMessageContaining("not valid Unicode");
    assertThatThrownBy(() -> dev.cella.bundle.internal.SignatureFile.read(json))
        .isInstanceOfSatisfying(InvalidBundleException.class,
            e -> assertThat(e.reason()).isEqualTo(InvalidBundleException.Reason.MALFORMED_SIGNATURE));
  }

  /**
   * JSON nested deeper than the reader's limit of 16, or with a number longer than 64 digits, made
   * JsonTree throw NullPointerException: Jackson's constraint violation carries no location, and
   * the message asked it for one.
   */
  @Test
  void fromJson_nestedDeeperThanTheLimit_isInvalidManifest() throws Exception {
    byte[] json = resource(MANIFEST_INPUTS + "crash-nested-too-deep");
    assertThatThrownBy(() -> Manifest.fromJson(json))
        .isInstanceOfSatisfying(InvalidBundleException.class,
            e -> assertThat(e.reason()).isEqualTo(InvalidBundleException.Reason.INVALID_MANIFEST))
        .hasMessageContaining("nesting depth");
    assertThatThrownBy(() -> dev.cella.bundle.internal.SignatureFile.read(json))
        .isInstanceOf(InvalidBundleException.class);
    byte[] longNumber = resource(MANIFEST_INPUTS + "crash-number-too-long");
    assertThatThrownBy(() -> Manifest.fromJson(longNumber))
        .isInstanceOf(InvalidBundleException.class)
        .hasMessageContaining("Number value length");
  }

  /**
   * A 64 KiB PEM text of 1927 empty blocks made the PEM reader allocate 127 MB: one buffer of the
   * whole text's size per block, quadratic in the text's length.
   */
  @Test
  void parsePem_manySmallBlocks_allocatesInProportionToTheText() throws Exception {
    byte[] pem = resource(
        "BundleReadersFuzzTestInputs/signerKeyPem_anyText_isAP384KeyOrInvalidKeyException/"
            + "crash-many-small-blocks");
    AllocationBudget.check(16L * pem.length + (1 << 20), () -> {
      assertThatThrownBy(() -> SignerKeys.parsePublicKeyPem(pem, "blocks.pem"))
          .isInstanceOf(java.security.InvalidKeyException.class)
          .hasMessageContaining("holds no CERTIFICATE or PUBLIC KEY block");
      assertThatThrownBy(() -> BundleSigningKey.fromPem(pem, "blocks.pem"))
          .isInstanceOf(java.security.InvalidKeyException.class);
    });
  }

  private static byte[] deflated(Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        ZipEntry entry = new ZipEntry(e.getKey());
        entry.setTimeLocal(java.time.LocalDateTime.of(2026, 1, 1, 0, 0));
        zip.putNextEntry(entry);
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    return out.toByteArray();
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = FuzzFindingsTest.class.getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }
}
