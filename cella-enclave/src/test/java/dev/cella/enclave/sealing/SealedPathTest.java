package dev.cella.enclave.sealing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileSystem;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SealedPathTest {
  @TempDir Path dir;
  private FileSystem fs;

  @BeforeEach
  void open() throws Exception {
    fs = new TestStore(dir).open();
  }

  @AfterEach
  void close() throws Exception {
    fs.close();
  }

  @Test
  void parsing_collapsesSeparators_andKeepsAbsoluteness() {
    assertThat(fs.getPath("//a///b/").toString()).isEqualTo("/a/b");
    assertThat(fs.getPath("a", "b", "c").toString()).isEqualTo("a/b/c");
    assertThat(fs.getPath("/a").isAbsolute()).isTrue();
    assertThat(fs.getPath("a").isAbsolute()).isFalse();
  }

  @Test
  void parts_rootParentFileNameAndNames() {
    Path p = fs.getPath("/a/b/c");

    assertThat(p.getRoot()).hasToString("/");
    assertThat(p.getParent()).hasToString("/a/b");
    assertThat(p.getFileName()).hasToString("c");
    assertThat(p.getNameCount()).isEqualTo(3);
    assertThat(p.getName(1)).hasToString("b");
    assertThat(p.subpath(1, 3)).hasToString("b/c");
    assertThat(fs.getPath("/").getParent()).isNull();
    assertThat(fs.getPath("/a").getParent()).hasToString("/");
    assertThat(fs.getPath("a").getParent()).isNull();
  }

  @Test
  void normalize_removesDotsAndResolvesDotDots() {
    assertThat(fs.getPath("/a/./b/../c").normalize()).hasToString("/a/c");
    assertThat(fs.getPath("/../a").normalize()).hasToString("/a");
    assertThat(fs.getPath("../a/..").normalize()).hasToString("..");
  }

  @Test
  void resolveAndRelativize_areInverse() {
    Path base = fs.getPath("/a/b");
    Path target = fs.getPath("/a/c/d");

    Path relative = base.relativize(target);

    assertThat(relative).hasToString("../c/d");
    assertThat(base.resolve(relative).normalize()).isEqualTo(target);
    assertThat(base.resolve(fs.getPath("/x"))).hasToString("/x");
    assertThat(base.resolveSibling("z")).hasToString("/a/z");
  }

  @Test
  void startsWithAndEndsWith_compareWholeNames() {
    Path p = fs.getPath("/ab/cd");

    assertThat(p.startsWith(fs.getPath("/ab"))).isTrue();
    assertThat(p.startsWith(fs.getPath("/a"))).isFalse();
    assertThat(p.startsWith("ab")).isFalse();
    assertThat(p.endsWith("cd")).isTrue();
    assertThat(p.endsWith("d")).isFalse();
    assertThat(p.endsWith(fs.getPath("/ab/cd"))).isTrue();
  }

  @Test
  void equality_isByAbsolutenessAndNames() {
    assertThat(fs.getPath("/a/b")).isEqualTo(fs.getPath("/a", "b"))
        .hasSameHashCodeAs(fs.getPath("/a", "b"))
        .isNotEqualTo(fs.getPath("a/b"));
    assertThat(fs.getPath("a").toAbsolutePath()).isEqualTo(fs.getPath("/a"));
  }

  @Test
  void badPaths_areRefused() {
    assertThatThrownBy(() -> fs.getPath("/a\0b")).isInstanceOf(InvalidPathException.class);
    assertThatThrownBy(() -> fs.getPath("/" + "x".repeat(256)))
        .isInstanceOf(InvalidPathException.class).hasMessageContaining("255");
  }

  @Test
  void globMatcher_matchesWithinAndAcrossNames() {
    assertThat(fs.getPathMatcher("glob:/a/*.txt").matches(fs.getPath("/a/x.txt"))).isTrue();
    assertThat(fs.getPathMatcher("glob:/a/*.txt").matches(fs.getPath("/a/b/x.txt"))).isFalse();
    assertThat(fs.getPathMatcher("glob:/a/**.txt").matches(fs.getPath("/a/b/x.txt"))).isTrue();
    assertThat(fs.getPathMatcher("glob:file?.[ch]").matches(fs.getPath("file1.c"))).isTrue();
    assertThat(fs.getPathMatcher("glob:file[!0-9]").matches(fs.getPath("file1"))).isFalse();
    assertThat(fs.getPathMatcher("regex:.*\\.bin").matches(fs.getPath("/k.bin"))).isTrue();
    assertThatThrownBy(() -> fs.getPathMatcher("xpath:/a"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
