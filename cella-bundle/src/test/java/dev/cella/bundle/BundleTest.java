package dev.cella.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.EnclaveIdentity;
import dev.cella.PlatformKind;
import dev.cella.bundle.InvalidBundleException.Reason;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleTest {
  private static final BundleSigningKey KEY = BundleSigningKey.generate();
  private static final BundleSigningKey OTHER = BundleSigningKey.generate();
  private static final byte[] SIGNED = Fixtures.signedBundle(KEY);
  private static final LocalDateTime TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

  @AfterAll
  static void closeKeys() {
    KEY.close();
    OTHER.close();
  }

  @Test
  void read_signedBundle_returnsVerifiedContents() throws Exception {
    Bundle bundle = Bundle.read(SIGNED);
    assertThat(bundle.manifest()).isEqualTo(Fixtures.manifest());
    assertThat(bundle.signer()).isEqualTo(KEY.signerId());
    assertThat(bundle.signerPublicKey().getEncoded()).isEqualTo(KEY.publicKey().getEncoded());
    assertThat(bundle.libraries().keySet()).containsExactly("app.jar", "cella-enclave.jar");
    EnclaveIdentity id = bundle.identity(PlatformKind.SIM);
    assertThat(id).isEqualTo(new EnclaveIdentity(bundle.measurement(), KEY.signerId(), 7, 2, false,
        PlatformKind.SIM));
  }

  @Test
  void libraries_returnsCopies() throws Exception {
    Bundle bundle = Bundle.read(SIGNED);
    bundle.libraries().get("app.jar")[0] = 'X';
    assertThat(bundle.libraries().get("app.jar")[0]).isEqualTo((byte) 'P');
  }

  @Test
  void build_twice_givesTheSameBytes_andSigningOnlyChangesTheSignature() {
    byte[] a = Fixtures.builder().buildUnsigned().toBytes();
    byte[] b = Fixtures.builder().buildUnsigned().toBytes();
    assertThat(a).isEqualTo(b);
    assertThat(Fixtures.entries(SIGNED).stream().map(Map.Entry::getKey))
        .containsExactly("cella/manifest.json", "cella/signature", "lib/app.jar", "lib/cella-enclave.jar");
  }

  @Test
  void build_inAnotherTimeZone_givesTheSameBytes() {
    java.util.TimeZone saved = java.util.TimeZone.getDefault();
    try {
      java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("UTC"));
      byte[] utc = Fixtures.builder().buildUnsigned().toBytes();
      java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("Pacific/Auckland"));
      assertThat(Fixtures.builder().buildUnsigned().toBytes()).isEqualTo(utc);
    } finally {
      java.util.TimeZone.setDefault(saved);
    }
  }

  @Test
  void open_file_verifies_andWriteLibrariesIsOwnerOnly(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("demo.cella");
    Fixtures.builder().writeSigned(KEY, file);
    Bundle bundle = Bundle.open(file);
    List<Path> jars = bundle.writeLibraries(dir.resolve("lib"));
    assertThat(jars).extracting(p -> p.getFileName().toString())
        .containsExactly("app.jar", "cella-enclave.jar");
    assertThat(Files.readAllBytes(jars.get(0))).isEqualTo(bundle.libraries().get("app.jar"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(jars.get(0))))
        .isEqualTo("rw-------");
    assertThatThrownBy(() -> bundle.writeLibraries(dir.resolve("lib")))
        .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
  }

  @Test
  void read_unsigned_isRefusedAsUnsigned() {
    assertRefused(Fixtures.builder().buildUnsigned().toBytes(), Reason.UNSIGNED, "unsigned");
  }

  @Test
  void read_signatureOverOtherContents_isBadSignature() {
    byte[] otherBundle = BundleBuilder.create(Fixtures.manifest().toBuilder().svn(3).build())
        .addLibrary("app.jar", Fixtures.jar("x", "y")).buildSigned(KEY);
    byte[] swapped = Fixtures.replace(SIGNED, "cella/signature",
        Fixtures.entry(otherBundle, "cella/signature"));
    assertRefused(swapped, Reason.BAD_SIGNATURE, "does not verify");
  }

  @Test
  void read_signatureByAnotherKeyThanClaimed_isBadSignature() {
    byte[] byOther = Fixtures.signedBundle(OTHER);
    String claimedByKey = Fixtures.utf8(Fixtures.entry(SIGNED, "cella/signature"));
    String signedByOther = Fixtures.utf8(Fixtures.entry(byOther, "cella/signature"));
    String forged = claimedByKey.substring(0, claimedByKey.indexOf("\"signature\""))
        + signedByOther.substring(signedByOther.indexOf("\"signature\""));
    assertRefused(Fixtures.replace(SIGNED, "cella/signature", Fixtures.utf8(forged)),
        Reason.BAD_SIGNATURE, "signed by another key");
  }

  @Test
  void read_oneChangedByteInAJar_isRefused() {
    byte[] jar = Fixtures.entry(SIGNED, "lib/app.jar");
    jar[jar.length - 30] ^= 1;
    assertRefused(Fixtures.replace(SIGNED, "lib/app.jar", jar), Reason.BAD_SIGNATURE, "does not verify");
    byte[] raw = SIGNED.clone();
    int at = indexOf(raw, Fixtures.entry(SIGNED, "lib/app.jar"));
    raw[at + 40] ^= 1;
    assertRefused(raw, Reason.CORRUPT_ARCHIVE, "CRC");
  }

  @Test
  void read_oneChangedByteInTheManifest_isRefused() {
    String json = Fixtures.utf8(Fixtures.entry(SIGNED, "cella/manifest.json"));
    assertRefused(Fixtures.replace(SIGNED, "cella/manifest.json",
        Fixtures.utf8(json.replace("\"svn\":2", "\"svn\":3"))), Reason.BAD_SIGNATURE, "does not verify");
    byte[] raw = SIGNED.clone();
    raw[indexOf(raw, Fixtures.utf8("com.example.App"))] ^= 1;
    assertRefused(raw, Reason.CORRUPT_ARCHIVE, "CRC");
  }

  @Test
  void read_oneChangedByteInTheSignature_isRefused() {
    String sig = Fixtures.utf8(Fixtures.entry(SIGNED, "cella/signature"));
    int at = sig.indexOf("\"signature\":\"") + 20;
    char changed = sig.charAt(at) == 'A' ? 'B' : 'A';
    String tampered = sig.substring(0, at) + changed + sig.substring(at + 1);
    assertRefused(Fixtures.replace(SIGNED, "cella/signature", Fixtures.utf8(tampered)),
        Reason.BAD_SIGNATURE, "does not verify");
    byte[] raw = SIGNED.clone();
    raw[indexOf(raw, Fixtures.entry(SIGNED, "cella/signature")) + 60] ^= 1;
    assertRefused(raw, Reason.CORRUPT_ARCHIVE, "CRC");
  }

  @Test
  void read_malformedSignatureFile_isMalformedSignature() {
    assertRefused(Fixtures.replace(SIGNED, "cella/signature", Fixtures.utf8("{\"formatVersion\":1}")),
        Reason.MALFORMED_SIGNATURE, "'algorithm' is missing");
    String sig = Fixtures.utf8(Fixtures.entry(SIGNED, "cella/signature"));
    assertRefused(Fixtures.replace(SIGNED, "cella/signature",
        Fixtures.utf8(sig.replace("ES384", "RS256"))), Reason.MALFORMED_SIGNATURE, "ES384");
    assertRefused(Fixtures.replace(SIGNED, "cella/signature",
        Fixtures.utf8(sig.replace("\"formatVersion\":1", "\"formatVersion\":9"))),
        Reason.UNSUPPORTED_FORMAT_VERSION, "format version 9");
  }

  @Test
  void read_signatureWithP256Key_isMalformedSignature() throws Exception {
    var g = java.security.KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    String spki = Base64.getEncoder().encodeToString(g.generateKeyPair().getPublic().getEncoded());
    String sig = Fixtures.utf8(Fixtures.entry(SIGNED, "cella/signature"));
    String replaced = sig.replaceFirst("\"publicKey\":\"[^\"]*\"", "\"publicKey\":\"" + spki + "\"");
    assertRefused(Fixtures.replace(SIGNED, "cella/signature", Fixtures.utf8(replaced)),
        Reason.MALFORMED_SIGNATURE, "P-384");
  }

  @Test
  void read_unknownManifestVersion_isUnsupportedFormatVersion() {
    byte[] bundle = withManifest("{\"formatVersion\":2,\"name\":\"demo\",\"whatever\":[]}");
    assertRefused(bundle, Reason.UNSUPPORTED_FORMAT_VERSION, "format version 2");
  }

  @Test
  void read_outOfRangeManifestFields_areInvalidManifest() {
    String base = "{\"formatVersion\":1,\"name\":\"demo\",\"entry\":\"a.B\",\"productId\":%s,\"svn\":%s,"
        + "\"debug\":false%s}";
    assertRefused(withManifest(base.formatted("65536", "0", "")), Reason.INVALID_MANIFEST, "productId");
    assertRefused(withManifest(base.formatted("0", "65536", "")), Reason.INVALID_MANIFEST, "svn");
    assertRefused(withManifest(base.formatted("0", "0", ",\"limits\":{\"heapMebibytes\":1,"
        + "\"threads\":1,\"maxFrameBytes\":65536,\"maxNestingDepth\":1}")),
        Reason.INVALID_MANIFEST, "limits.heapMebibytes");
  }

  @Test
  void read_unknownManifestField_isInvalidManifest() {
    byte[] bundle = withManifest("{\"formatVersion\":1,\"name\":\"demo\",\"entry\":\"a.B\","
        + "\"productId\":0,\"svn\":0,\"debug\":false,\"sandbox\":\"off\"}");
    assertRefused(bundle, Reason.INVALID_MANIFEST, "unknown field 'sandbox'");
  }

  @Test
  void read_notAZip_isNotABundle() {
    assertRefused(Fixtures.utf8("hello, this is not a bundle at all"), Reason.NOT_A_BUNDLE, "not a ZIP");
    assertRefused(new byte[0], Reason.NOT_A_BUNDLE, "not a ZIP");
  }

  @Test
  void read_truncatedOrTrailingBytes_isCorrupt() {
    assertRefused(java.util.Arrays.copyOf(SIGNED, SIGNED.length - 1), Reason.CORRUPT_ARCHIVE, "end record");
    assertRefused(java.util.Arrays.copyOf(SIGNED, SIGNED.length + 1), Reason.CORRUPT_ARCHIVE, "end record");
  }

  @Test
  void read_unexpectedEntries_areRefused() {
    byte[] jar = Fixtures.jar("a", "b");
    assertRefused(Fixtures.with(SIGNED, "README.txt", jar), Reason.UNEXPECTED_ENTRY, "only cella/manifest.json");
    assertRefused(Fixtures.with(SIGNED, "lib/", new byte[0]), Reason.UNEXPECTED_ENTRY, "directory");
    assertRefused(Fixtures.with(SIGNED, "/lib/x.jar", jar), Reason.UNEXPECTED_ENTRY, "absolute");
    assertRefused(Fixtures.with(SIGNED, "lib/../x.jar", jar), Reason.UNEXPECTED_ENTRY, "'..'");
    assertRefused(Fixtures.with(SIGNED, "lib\\x.jar", jar), Reason.UNEXPECTED_ENTRY, "backslash");
    assertRefused(Fixtures.with(SIGNED, "lib/sub/x.jar", jar), Reason.UNEXPECTED_ENTRY, "only");
    assertRefused(Fixtures.with(SIGNED, "lib/x.txt", jar), Reason.UNEXPECTED_ENTRY, "ending in .jar");
  }

  @Test
  void read_duplicateEntries_areRefused() {
    assertRefused(Fixtures.with(SIGNED, "lib/APP.jar", Fixtures.jar("a", "b")),
        Reason.DUPLICATE_ENTRY, "differ only in case");
    byte[] twice = Fixtures.with(SIGNED, "lib/dup.jar", Fixtures.jar("a", "b"));
    int second = indexOf(twice, Fixtures.utf8("lib/dup.jar"));
    // Rename lib/app.jar's local and central names to lib/dup.jar: same-length edit, valid ZIP.
    byte[] edited = rename(twice, "lib/app.jar", "lib/dup.jar");
    assertThat(second).isPositive();
    assertRefused(edited, Reason.DUPLICATE_ENTRY, "twice");
  }

  @Test
  void read_missingEntries_areRefused() {
    assertRefused(Fixtures.without(SIGNED, "cella/manifest.json"), Reason.MISSING_ENTRY, "manifest.json");
    byte[] noJars = Fixtures.without(Fixtures.without(SIGNED, "lib/app.jar"), "lib/cella-enclave.jar");
    assertRefused(noJars, Reason.MISSING_ENTRY, "lib/*.jar");
  }

  @Test
  void read_localHeaderDisagreeingWithCentralDirectory_isCorrupt() {
    byte[] bundle = Fixtures.zip(Fixtures.entries(SIGNED), false, TIME);
    byte[] edited = bundle.clone();
    // The first local header's name: change one letter only there.
    edited[30] = (byte) (edited[30] == 'c' ? 'd' : 'c');
    assertRefused(edited, Reason.CORRUPT_ARCHIVE, "disagrees with the central directory (name)");
    edited = bundle.clone();
    edited[10] ^= 1; // local header time
    assertRefused(edited, Reason.CORRUPT_ARCHIVE, "(time)");
  }

  @Test
  void open_fileOverTheSizeLimit_isTooLargeBeforeReading(@TempDir Path dir) throws Exception {
    Path big = dir.resolve("big.cella");
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(Bundle.MAX_BUNDLE_BYTES + 1);
    }
    assertThatThrownBy(() -> Bundle.open(big))
        .isInstanceOfSatisfying(InvalidBundleException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
          assertThat(e.getMessage()).contains("512 MiB");
        });
  }

  @Test
  void open_missingFile_isNoSuchFile(@TempDir Path dir) {
    assertThatThrownBy(() -> Bundle.open(dir.resolve("absent.cella")))
        .isInstanceOf(java.nio.file.NoSuchFileException.class);
  }

  @Test
  void builder_refusesClashingOrNonJarLibraries() {
    BundleBuilder b = BundleBuilder.create(Fixtures.manifest()).addLibrary("a.jar", Fixtures.jar("x", "y"));
    assertThatThrownBy(() -> b.addLibrary("A.jar", Fixtures.jar("x", "y"))).hasMessageContaining("two jars");
    assertThatThrownBy(() -> b.addLibrary("b.jar", Fixtures.utf8("text"))).hasMessageContaining("not a jar");
    assertThatThrownBy(() -> b.addLibrary("../b.jar", Fixtures.jar("x", "y"))).hasMessageContaining("plain file name");
    assertThatThrownBy(() -> BundleBuilder.create(Fixtures.manifest()).buildUnsigned())
        .hasMessageContaining("at least one jar");
  }

  private static byte[] withManifest(String json) {
    byte[] unsigned = Fixtures.replace(SIGNED, "cella/manifest.json", Fixtures.utf8(json));
    return unsigned;
  }

  static void assertRefused(byte[] bundle, Reason reason, String message) {
    assertThatThrownBy(() -> Bundle.read(bundle))
        .isInstanceOfSatisfying(InvalidBundleException.class, e -> {
          assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
          assertThat(e.getMessage()).contains(message);
        });
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }

  private static byte[] rename(byte[] zip, String from, String to) {
    byte[] out = zip.clone();
    byte[] f = Fixtures.utf8(from);
    byte[] t = Fixtures.utf8(to);
    for (int i = 0; i + f.length <= out.length; i++) {
      if (java.util.Arrays.equals(out, i, i + f.length, f, 0, f.length)) {
        System.arraycopy(t, 0, out, i, t.length);
      }
    }
    return out;
  }
}
