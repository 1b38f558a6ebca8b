package dev.cella.backend.vm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The host's shared libraries a jlinked JDK needs (the C library, the dynamic loader and their
 * companions), found with {@code ldd} on {@code bin/java} and every library of the JDK: the guest
 * gets them at the same paths.
 *
 * <p>Thread-safe; stateless.
 */
final class SharedLibraries {
  private SharedLibraries() {}

  static SortedSet<Path> of(Path jdk) throws IOException {
    List<String> command = new ArrayList<>(List.of("ldd", jdk.resolve("bin/java").toString()));
    try (Stream<Path> walk = Files.walk(jdk.resolve("lib"))) {
      walk.filter(p -> p.getFileName().toString().endsWith(".so")).sorted()
          .forEach(p -> command.add(p.toString()));
    }
    Process ldd = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(ldd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!ldd.waitFor(60, TimeUnit.SECONDS)) {
        ldd.destroyForcibly();
        throw new IOException("ldd did not finish");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while ldd ran", e);
    }
    return parse(output, jdk);
  }

  /** The absolute library paths in {@code ldd}'s output that are outside {@code jdk}. */
  static SortedSet<Path> parse(String lddOutput, Path jdk) {
    SortedSet<Path> libraries = new TreeSet<>();
    for (String raw : lddOutput.split("\n")) {
      String line = raw.strip();
      String path = null;
      int arrow = line.indexOf("=> ");
      if (arrow >= 0) {
        path = line.substring(arrow + 3).split(" ")[0];
      } else if (line.startsWith("/")) {
        path = line.split(" ")[0];
        if (path.endsWith(":")) {
          continue; // the "FILE:" heading of ldd with several files
        }
      }
      if (path != null && path.startsWith("/")) {
        Path library = Path.of(path).normalize();
        if (!library.startsWith(jdk.toAbsolutePath().normalize())) {
          libraries.add(library);
        }
      }
    }
    return libraries;
  }
}
