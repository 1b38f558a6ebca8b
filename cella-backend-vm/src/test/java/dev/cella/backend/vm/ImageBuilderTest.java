package dev.cella.backend.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The base image's archive and cache key, on a fake JDK and kernel (no jlink, no VM). */
class ImageBuilderTest {
  @TempDir Path folder;

  private ImageSources fakeSources() throws Exception {
    Path modules = folder.resolve("modules");
    for (String module : GuestInit.MODULES) {
      Path file = modules.resolve(module);
      Files.createDirectories(file.getParent());
      Files.writeString(file, "module " + module);
    }
    Path jdk = folder.resolve("jdk");
    Files.createDirectories(jdk.resolve("bin"));
    Files.createDirectories(jdk.resolve("lib"));
    Files.writeString(jdk.resolve("bin/java"), "not elf");
    Files.setPosixFilePermissions(jdk.resolve("bin/java"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"25\"\n");
    Files.writeString(jdk.resolve("lib/modules"), "jimage");
    Path busybox = Files.writeString(folder.resolve("busybox"), "busybox");
    return new ImageSources(Path.of("/usr/bin/qemu-system-x86_64"), folder.resolve("vmlinuz"),
        modules, busybox, jdk, ImageSources.RUNTIME_MODULES);
  }

  private byte[] archive(ImageSources sources) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageBuilder.write(sources, sources.jdkHome(), out);
    return out.toByteArray();
  }

  @Test
  void theSameInputs_giveTheSameArchive_evenWithOtherFileTimes() throws Exception {
    ImageSources sources = fakeSources();
    byte[] first = archive(sources);
    Files.setLastModifiedTime(sources.busybox(), FileTime.fromMillis(1));
    assertThat(archive(sources)).isEqualTo(first);
    String text = new String(first, StandardCharsets.ISO_8859_1);
    assertThat(text).contains("init\0").contains("bin/busybox\0").contains("jdk/bin/java\0")
        .contains("lib/modules/virtio_console.ko\0").contains("#!/bin/busybox sh");
    // Parents come before their children.
    assertThat(text.indexOf("jdk\0")).isLessThan(text.indexOf("jdk/bin\0"));
    assertThat(text.indexOf("jdk/bin\0")).isLessThan(text.indexOf("jdk/bin/java\0"));
  }

  @Test
  void theCacheKey_changesWithAnInput_andOnlyThen() throws Exception {
    ImageSources sources = fakeSources();
    String key = ImageBuilder.key(sources);
    assertThat(ImageBuilder.key(sources)).isEqualTo(key);
    Files.writeString(sources.busybox(), "another busybox");
    assertThat(ImageBuilder.key(sources)).isNotEqualTo(key);
  }

  @Test
  void theInitScript_startsTheVmRunner_onThePortNamedCella_andPowersOff() {
    String script = GuestInit.script();
    assertThat(script).startsWith("#!/bin/busybox sh\n")
        .contains("dev.cella.enclave.internal.runner.VmRunner /cella/bundle.cella \"$port\"")
        .contains("/sys/class/virtio-ports/").contains("= cella ]")
        .endsWith("/bin/busybox poweroff -f\n");
  }
}
