package dev.cella.protocol.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Opens {@link ChannelPair}s for a test, each in a temporary folder of its own, and closes them
 * and deletes their folders after it:
 *
 * <pre>{@code
 * @RegisterExtension final ChannelPairs pairs = new ChannelPairs();
 * ...
 * ChannelPair pair = pairs.open(1 << 16).start(frame -> frame, frame -> frame, 1 << 20);
 * }</pre>
 *
 * <p>Not thread-safe: open pairs from the test's own thread.
 */
final class ChannelPairs implements AfterEachCallback {
  private final List<ChannelPair> pairs = new ArrayList<>();
  private final List<Path> folders = new ArrayList<>();

  /** A pair wired as the process backend wires it (a socket for the host's callers). */
  ChannelPair open(int capacity) throws IOException {
    return open(capacity, ChannelPair.Bells.CALLER_BELL);
  }

  ChannelPair open(int capacity, ChannelPair.Bells bells) throws IOException {
    Path folder = Files.createTempDirectory("cella-channel-pair");
    folders.add(folder);
    ChannelPair pair = new ChannelPair(folder, capacity, bells);
    pairs.add(pair);
    return pair;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    try {
      pairs.forEach(ChannelPair::close);
    } finally {
      pairs.clear();
      folders.forEach(ChannelPairs::delete);
      folders.clear();
    }
  }

  private static void delete(Path folder) {
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + folder, e);
    }
  }
}
