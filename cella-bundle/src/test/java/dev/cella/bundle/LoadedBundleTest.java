package dev.cella.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.PlatformKind;
import dev.cella.bundle.InvalidBundleException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A runtime's measurement of the jars it loads: the bundle's identity exactly when the class path
 * holds the bundle's jars, a refusal for any other class path.
 */
class LoadedBundleTest {
  private static final BundleSigningKey KEY = BundleSigningKey.generate();

  @TempDir Path folder;
  private Path bundleFile;
  private List<Path> jars;

  @BeforeEach
  void write() throws Exception {
    bundleFile = folder.resolve("demo.cella");
    Files.write(bundleFile, Fixtures.signedBundle(KEY));
    jars = Bundle.open(bundleFile).writeLibraries(folder.resolve("lib"));
  }

  @Test
  void theBundlesJars_measureAsTheBundle() throws Exception {
    Bundle bundle = Bundle.open(bundleFile);
    LoadedBundle loaded = LoadedBundle.measure(bundleFile, jars);
    assertThat(loaded.identity(PlatformKind.PROCESS))
        .isEqualTo(bundle.identity(PlatformKind.PROCESS));
    assertThat(loaded.manifest()).isEqualTo(bundle.manifest());
  }

  @Test
  void theClassPathsOrder_doesNotMatter() throws Exception {
    List<Path> reversed = new ArrayList<>(jars);
    java.util.Collections.reverse(reversed);
    assertThat(LoadedBundle.measure(bundleFile, reversed).measurement())
        .isEqualTo(Bundle.open(bundleFile).measurement());
  }

  @Test
  void aMissingJar_isRefused() {
    assertMismatch(List.of(jars.get(0)), "bundle jars missing [cella-enclave.jar]");
  }

  @Test
  void anExtraJar_isRefused() throws Exception {
    List<Path> more = new ArrayList<>(jars);
    more.add(Files.write(folder.resolve("extra.jar"), new byte[] {1}));
    assertMismatch(more, "jars not in the bundle [extra.jar]");
  }

  @Test
  void twoJarsOfOneName_areRefused() throws Exception {
    Path twin = Files.createDirectories(folder.resolve("twin")).resolve("app.jar");
    Files.copy(jars.get(0), twin);
    assertMismatch(List.of(jars.get(0), jars.get(1), twin), "not a uniquely named jar");
  }

  @Test
  void anEmptyClassPathEntry_theWorkingDirectory_isRefused() {
    List<Path> withEmpty = new ArrayList<>(jars);
    withEmpty.add(Path.of(""));
    assertMismatch(withEmpty, "an empty entry");
  }

  @Test
  void aJarOfAnotherSize_isRefused() throws Exception {
    Files.write(jars.get(0), new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
    assertMismatch(jars, "app.jar differs from the bundle's copy");
  }

  @Test
  void aJarChangedInPlace_isRefused() throws Exception {
    byte[] content = Files.readAllBytes(jars.get(0));
    content[content.length / 2] ^= 1;
    Files.write(jars.get(0), content);
    assertMismatch(jars, "app.jar differs from the bundle's copy (another CRC-32)");
  }

  @Test
  void aChangedJarWithTheBundlesSizeAndCrc_isRefusedByTheSignature() throws Exception {
    byte[] original = Files.readAllBytes(jars.get(0));
    byte[] forged = original.clone();
    forged[forged.length / 2] ^= 1;
    forgeCrc(forged, crc(original));
    assertThat(crc(forged)).isEqualTo(crc(original));
    assertThat(forged).isNotEqualTo(original).hasSameSizeAs(original);
    Files.write(jars.get(0), forged);
    assertMismatch(jars, "which the bundle's signature does not cover");
  }

  @Test
  void anUnsignedBundle_isRefused() throws Exception {
    Path unsigned = folder.resolve("unsigned.cella");
    Fixtures.builder().writeUnsigned(unsigned);
    assertThatThrownBy(() -> LoadedBundle.measure(unsigned, jars))
        .isInstanceOfSatisfying(InvalidBundleException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.UNSIGNED));
  }

  @Test
  void aTruncatedBundleFile_isRefused() throws Exception {
    byte[] whole = Files.readAllBytes(bundleFile);
    Path truncated = Files.write(folder.resolve("truncated.cella"),
        java.util.Arrays.copyOf(whole, whole.length - 30));
    assertThatThrownBy(() -> LoadedBundle.measure(truncated, jars))
        .isInstanceOfSatisfying(InvalidBundleException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.CORRUPT_ARCHIVE));
  }

  @Test
  void aBundleWithAnotherManifest_measuresAsThatBundle() throws Exception {
    Path other = folder.resolve("other.cella");
    Files.write(other, BundleBuilder.create(Fixtures.manifest().toBuilder().svn(9).build())
        .addLibrary("app.jar", Files.readAllBytes(jars.get(0)))
        .addLibrary("cella-enclave.jar", Files.readAllBytes(jars.get(1))).buildSigned(KEY));
    LoadedBundle loaded = LoadedBundle.measure(other, jars);
    assertThat(loaded.measurement()).isEqualTo(Bundle.open(other).measurement())
        .isNotEqualTo(Bundle.open(bundleFile).measurement());
    assertThat(loaded.identity(PlatformKind.PROCESS).svn()).isEqualTo(9);
  }

  private void assertMismatch(List<Path> classPath, String why) {
    assertThatThrownBy(() -> LoadedBundle.measure(bundleFile, classPath))
        .isInstanceOfSatisfying(InvalidBundleException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.CLASS_PATH_MISMATCH))
        .hasMessageContaining(why);
  }

  private static int crc(byte[] data) {
    CRC32 crc = new CRC32();
    crc.update(data);
    return (int) crc.getValue();
  }

  /** Overwrites the last four bytes of {@code data} so that its CRC-32 becomes {@code target}. */
  private static void forgeCrc(byte[] data, int target) {
    int[] table = new int[256];
    int[] byTopByte = new int[256];
    for (int i = 0; i < 256; i++) {
      int c = i;
      for (int k = 0; k < 8; k++) {
        c = (c & 1) != 0 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
      }
      table[i] = c;
      byTopByte[c >>> 24] = i;
    }
    int register = 0xFFFFFFFF;
    for (int i = 0; i < data.length - 4; i++) {
      register = table[(register ^ data[i]) & 0xFF] ^ (register >>> 8);
    }
    int wanted = ~target;
    for (int k = 0; k < 4; k++) {
      int index = byTopByte[wanted >>> 24];
      wanted = ((wanted ^ table[index]) << 8) | index;
    }
    int tail = wanted ^ register;
    for (int k = 0; k < 4; k++) {
      data[data.length - 4 + k] = (byte) (tail >>> (8 * k));
    }
  }
}
