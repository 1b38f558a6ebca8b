package dev.cella.enclave.internal.program;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.EnclaveIdentity;
import dev.cella.Measurement;
import dev.cella.PlatformKind;
import dev.cella.SignerId;
import dev.cella.enclave.sealing.SealPolicy;
import dev.cella.enclave.sealing.SealedFileSystems;
import dev.cella.enclave.sealing.SealedStorageException;
import dev.cella.enclave.sealing.SealingKeys;
import dev.cella.protocol.storage.DirectorySealedStorageHost;
import dev.cella.protocol.storage.FileMonotonicCounter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SealedMirrorTest {
  @TempDir Path dir;

  private FileSystem store() throws Exception {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) 7);
    EnclaveIdentity identity = new EnclaveIdentity(Measurement.of(new byte[48]),
        SignerId.of(new byte[48]), 1, 1, false, PlatformKind.PROCESS);
    SealingKeys keys = SealingKeys.fromChainKeys(identity, key.clone(), key.clone());
    return SealedFileSystems.open("mirror", keys.sealer(SealPolicy.SIGNER),
        new DirectorySealedStorageHost(dir.resolve("host")),
        new FileMonotonicCounter(dir.resolve("counter")));
  }

  @Test
  void writesDeletesAndFolders_survive_aSyncAndAReload() throws Exception {
    Path first = Files.createDirectories(dir.resolve("first"));
    FileSystem fs = store();
    SealedMirror mirror = SealedMirror.load(fs, first);
    Files.createDirectories(first.resolve("a/b"));
    Files.writeString(first.resolve("a/b/data.txt"), "plain secret text");
    Files.writeString(first.resolve("gone.txt"), "temporary");
    assertThat(mirror.sync()).isEqualTo(4);
    Files.delete(first.resolve("gone.txt"));
    assertThat(mirror.sync()).isEqualTo(1);
    assertThat(mirror.sync()).isZero();
    fs.close();

    Path second = Files.createDirectories(dir.resolve("second"));
    SealedMirror.load(store(), second);
    assertThat(second.resolve("a/b/data.txt")).hasContent("plain secret text");
    assertThat(second.resolve("gone.txt")).doesNotExist();
    try (Stream<Path> files = Files.walk(dir.resolve("host"))) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
            .doesNotContain("plain secret").doesNotContain("data.txt");
      }
    }
  }

  @Test
  void aTamperedStore_isRefusedAtLoad() throws Exception {
    Path first = Files.createDirectories(dir.resolve("first"));
    FileSystem fs = store();
    SealedMirror mirror = SealedMirror.load(fs, first);
    Files.writeString(first.resolve("f.txt"), "content");
    mirror.sync();
    fs.close();
    List<Path> objects;
    try (Stream<Path> files = Files.list(dir.resolve("host"))) {
      objects = files.filter(p -> !p.getFileName().toString().equals("manifest")).toList();
    }
    assertThat(objects).hasSize(1);
    byte[] bytes = Files.readAllBytes(objects.get(0));
    bytes[bytes.length - 1] ^= 1;
    Files.write(objects.get(0), bytes);
    Path second = Files.createDirectories(dir.resolve("second"));
    assertThatThrownBy(() -> SealedMirror.load(store(), second))
        .isInstanceOf(SealedStorageException.class);
  }
}
