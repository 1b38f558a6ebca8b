package dev.cella.backend.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The private folders that hold an enclave's channel file and doorbell socket while it starts,
 * named after the host process that made them: {@code cella-PID-START-NAME-RANDOM}, START being
 * the host's start time in epoch milliseconds. The host deletes its folder as soon as the child
 * has mapped the channel and connected; a host that dies before that (killed during a start)
 * leaves it behind, so each new folder is made after a sweep that deletes this user's folders
 * whose host is gone — no live process has that PID, or the one that has it started at another
 * time (the PID was reused). Folders of live hosts, of other users and anything not named so are
 * left alone; symbolic links are never followed.
 *
 * <p>Thread-safe; stateless.
 */
final class ChannelFolders {
  private static final String PREFIX = "cella-";

  private ChannelFolders() {}

  /** Sweeps {@code base}, then makes an owner-only folder in it for enclave {@code name}. */
  static Path create(Path base, String name) throws IOException {
    sweep(base);
    ProcessHandle self = ProcessHandle.current();
    return Files.createTempDirectory(base,
        PREFIX + self.pid() + "-" + startMillis(self) + "-" + name + "-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
  }

  /** Deletes the folders in {@code base} that hosts now gone left behind; returns how many. */
  static int sweep(Path base) {
    int deleted = 0;
    UserPrincipal me;
    try {
      me = base.getFileSystem().getUserPrincipalLookupService()
          .lookupPrincipalByName(System.getProperty("user.name"));
    } catch (IOException | UnsupportedOperationException e) {
      return 0;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(base, PREFIX + "*")) {
      for (Path entry : entries) {
        if (isStale(entry.getFileName().toString())
            && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)
            && me.equals(Files.getOwner(entry, LinkOption.NOFOLLOW_LINKS))) {
          delete(entry);
          deleted++;
        }
      }
    } catch (IOException | RuntimeException e) {
      // Sweeping is best effort; the new folder does not depend on it.
    }
    return deleted;
  }

  /** Whether a folder name is of a host that is gone; false for names not made here. */
  static boolean isStale(String folderName) {
    if (!folderName.startsWith(PREFIX)) {
      return false;
    }
    String[] parts = folderName.substring(PREFIX.length()).split("-", 3);
    if (parts.length < 3) {
      return false;
    }
    long pid;
    long start;
    try {
      pid = Long.parseLong(parts[0]);
      start = Long.parseLong(parts[1]);
    } catch (NumberFormatException e) {
      return false;
    }
    Optional<ProcessHandle> host = ProcessHandle.of(pid);
    if (host.isEmpty() || !host.get().isAlive()) {
      return true;
    }
    long liveStart = startMillis(host.get());
    return start != 0 && liveStart != 0 && liveStart != start;
  }

  private static long startMillis(ProcessHandle process) {
    return process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
  }

  private static void delete(Path folder) throws IOException {
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
