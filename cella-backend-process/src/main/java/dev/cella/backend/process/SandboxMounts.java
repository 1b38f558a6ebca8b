package dev.cella.backend.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The host paths a sandbox shows, as bubblewrap arguments: each path appears inside at the same
 * place, read-only, with the symbolic links on the way to it recreated as links, so that a path
 * such as {@code /lib64/ld-linux-x86-64.so.2} resolves inside as it does outside while nothing
 * but the files asked for becomes visible.
 *
 * <p>Not thread-safe.
 */
final class SandboxMounts {
  private static final int MAX_LINKS = 40;

  private final Map<String, String> symlinks = new LinkedHashMap<>();
  private final Set<String> readOnly = new LinkedHashSet<>();

  /** Shows {@code path} (a file or folder; absolute) read-only, with the links leading to it. */
  SandboxMounts expose(Path path) throws IOException {
    if (!path.isAbsolute()) {
      throw new IllegalArgumentException("not an absolute path: " + path);
    }
    Deque<String> remaining = new ArrayDeque<>();
    path.normalize().forEach(name -> remaining.add(name.toString()));
    Path current = path.getRoot();
    int links = 0;
    while (!remaining.isEmpty()) {
      Path next = current.resolve(remaining.removeFirst());
      if (Files.isSymbolicLink(next)) {
        if (++links > MAX_LINKS) {
          throw new IOException("too many symbolic links on the way to " + path);
        }
        Path target = Files.readSymbolicLink(next);
        symlinks.putIfAbsent(next.toString(), target.toString());
        Path resolved = (target.isAbsolute() ? target : current.resolve(target)).normalize();
        List<String> names = new ArrayList<>();
        resolved.forEach(name -> names.add(name.toString()));
        for (int i = names.size() - 1; i >= 0; i--) {
          remaining.addFirst(names.get(i));
        }
        current = path.getRoot();
      } else {
        current = next;
      }
    }
    if (!Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(path + " does not exist");
    }
    readOnly.add(current.toString());
    return this;
  }

  /** The bubblewrap arguments: the links first, then the read-only binds. */
  List<String> arguments() {
    List<String> args = new ArrayList<>();
    symlinks.forEach((link, target) -> {
      args.add("--symlink");
      args.add(target);
      args.add(link);
    });
    for (String real : readOnly) {
      args.add("--ro-bind");
      args.add(real);
      args.add(real);
    }
    return args;
  }
}
