package dev.cella.enclave.internal.program;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A sealed mount as the program sees it: the files of a sealed store, unsealed into the folder at
 * the mount's enclave path — a file system in the enclave's own memory (a tmpfs of the sandbox),
 * which every API reaches, {@code java.io} as much as {@code java.nio} — and sealed back into the
 * store when the program ends. The host keeps only the store's ciphertext, with the integrity of
 * sealed storage: a modified, swapped or rolled-back file fails the load ({@code
 * SealedStorageException}), and the program does not start.
 *
 * <p>Durability: what the program writes reaches the store at {@link #sync}, which the runtime
 * calls when the program ends (normal return, uncaught exception, {@code System.exit}); each
 * changed file is one atomic commit. If the enclave dies before, the store keeps its previous
 * committed state.
 *
 * <p>Not thread-safe: loaded before the program starts, synced after it ended.
 */
final class SealedMirror {
  private final FileSystem store;
  private final Path folder;

  private SealedMirror(FileSystem store, Path folder) {
    this.store = store;
    this.folder = folder;
  }

  /** Unseals every file of {@code store} into {@code folder} (an empty folder). */
  static SealedMirror load(FileSystem store, Path folder) throws IOException {
    Path root = store.getPath("/");
    try (Stream<Path> entries = Files.walk(root)) {
      for (Path entry : entries.sorted().toList()) {
        if (entry.equals(root)) {
          continue;
        }
        Path target = folder.resolve(root.relativize(entry).toString());
        if (Files.isDirectory(entry)) {
          Files.createDirectories(target);
        } else {
          Files.write(target, Files.readAllBytes(entry));
        }
      }
    }
    return new SealedMirror(store, folder);
  }

  /**
   * Seals what changed since the load or the last sync into the store: new and changed files
   * and folders are written, those the program deleted are deleted. Symbolic links and other
   * special files are not stored.
   *
   * @return the number of changes committed
   */
  int sync() throws IOException {
    int changes = 0;
    Set<String> present = new HashSet<>();
    List<Path> local;
    try (Stream<Path> entries = Files.walk(folder)) {
      local = entries.sorted().toList();
    }
    for (Path file : local) {
      if (file.equals(folder)) {
        continue;
      }
      String relative = folder.relativize(file).toString();
      Path sealed = store.getPath("/" + relative);
      present.add(sealed.toString());
      if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
        if (!Files.isDirectory(sealed)) {
          Files.deleteIfExists(sealed);
          Files.createDirectory(sealed);
          changes++;
        }
      } else if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        byte[] content = Files.readAllBytes(file);
        if (!Files.isRegularFile(sealed) || !Arrays.equals(content, Files.readAllBytes(sealed))) {
          if (Files.isDirectory(sealed)) {
            deleteTree(sealed);
          }
          Files.write(sealed, content);
          changes++;
        }
      }
    }
    List<Path> gone = new ArrayList<>();
    try (Stream<Path> entries = Files.walk(store.getPath("/"))) {
      for (Path entry : entries.toList()) {
        if (!entry.toString().equals("/") && !present.contains(entry.toString())) {
          gone.add(entry);
        }
      }
    }
    gone.sort(Comparator.comparing(Path::toString).reversed());
    for (Path entry : gone) {
      Files.deleteIfExists(entry);
      changes++;
    }
    return changes;
  }

  private static void deleteTree(Path dir) throws IOException {
    List<Path> all;
    try (Stream<Path> entries = Files.walk(dir)) {
      all = entries.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path p : all) {
      Files.delete(p);
    }
  }
}
