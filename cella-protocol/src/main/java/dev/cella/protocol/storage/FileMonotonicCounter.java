package dev.cella.protocol.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A monotonic counter in a host file, for the {@code sim} backend and tests. <b>It protects only
 * against accidents and partial tampering, not against the host</b>: whoever can write the file
 * can reset it, and a host that resets the counter and restores an old copy of the store's
 * directory together rolls the store back undetected. What it does catch: an old manifest
 * restored on its own (the counter is ahead), a counter reset on its own (the manifest is
 * ahead), and crashes (each increment is durable: temporary file, fsync, atomic rename, fsync of
 * the directory). The isolated backends keep their counters in the platform instead; see {@code
 * docs/sealing.md}.
 *
 * <p>The file holds the value in decimal. A missing file reads as 0.
 *
 * <pre>{@code
 * MonotonicCounter counter = new FileMonotonicCounter(Path.of(home, "counters", "app"));
 * }</pre>
 *
 * <p>Thread-safe within one JVM; use one JVM at a time per file.
 */
public final class FileMonotonicCounter implements MonotonicCounter {
  private final Path file;

  /** A counter kept in {@code file}; its directory must exist. */
  public FileMonotonicCounter(Path file) {
    this.file = file.toAbsolutePath();
  }

  @Override
  public synchronized long read() throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII).strip();
    } catch (NoSuchFileException e) {
      return 0;
    }
    try {
      long value = Long.parseLong(text);
      if (value < 0) {
        throw new NumberFormatException("negative");
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IOException("counter file " + file + " does not hold a counter value", e);
    }
  }

  @Override
  public synchronized long increment() throws IOException {
    long next = Math.addExact(read(), 1);
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ByteBuffer bytes = ByteBuffer.wrap((next + "\n").getBytes(StandardCharsets.US_ASCII));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      channel.force(true);
    }
    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel directory = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
      directory.force(true);
    }
    return next;
  }
}
