package dev.cella.maven.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

class CanonicalJarTest {
  private static byte[] jar(long time, int level, String... namesAndContents) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.setLevel(level);
      for (int i = 0; i < namesAndContents.length; i += 2) {
        ZipEntry e = new ZipEntry(namesAndContents[i]);
        e.setTime(time);
        zip.putNextEntry(e);
        zip.write(namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    return out.toByteArray();
  }

  @Test
  void rewrite_ofJarsDifferingInTimeOrderAndCompression_givesTheSameBytes() throws IOException {
    byte[] a = jar(1_000_000_000_000L, 9, "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n",
        "a/A.class", "aaa", "b/B.class", "bbb");
    byte[] b = jar(1_700_000_000_000L, 1, "b/B.class", "bbb", "a/A.class", "aaa",
        "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n");
    assertThat(a).isNotEqualTo(b);
    assertThat(CanonicalJar.rewrite(a)).isEqualTo(CanonicalJar.rewrite(b));
  }

  @Test
  void rewrite_ofJarsDifferingInContent_givesOtherBytes() throws IOException {
    byte[] a = jar(0L, 9, "a/A.class", "aaa");
    byte[] b = jar(0L, 9, "a/A.class", "aab");
    assertThat(CanonicalJar.rewrite(a)).isNotEqualTo(CanonicalJar.rewrite(b));
  }

  @Test
  void rewrite_keepsEveryEntry_manifestFirst_restSorted() throws IOException {
    byte[] canonical = CanonicalJar.rewrite(jar(0L, 9, "z/Z.class", "z", "META-INF/", "",
        "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n", "a/A.class", "a"));
    List<String> names = new ArrayList<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(canonical))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        names.add(e.getName());
        assertThat(e.getMethod()).isEqualTo(ZipEntry.STORED);
        assertThat(e.getTimeLocal()).isEqualTo(CanonicalJar.FIXED_TIME);
      }
    }
    assertThat(names).containsExactly("META-INF/", "META-INF/MANIFEST.MF", "a/A.class", "z/Z.class");
  }

  @Test
  void rewrite_ofSomethingElse_isRefused() {
    assertThatThrownBy(() -> CanonicalJar.rewrite("not a jar".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IOException.class);
  }
}
