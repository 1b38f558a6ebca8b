package dev.cella.backend.vm;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes a cpio archive in the "newc" format (the Linux initramfs format) reproducibly: every
 * entry has owner and group 0, modification time 0, one link, and an inode number counted from
 * 1 in the order written; permissions are normalized to 0755 (directories, executables) or
 * 0644. The caller writes entries in sorted order, parents first, so that the same contents give
 * the same bytes.
 *
 * <pre>{@code
 * try (NewcArchive cpio = new NewcArchive(out)) {
 *   cpio.directory("bin");
 *   cpio.file("bin/busybox", true, Path.of("/bin/busybox"));
 * }
 * }</pre>
 *
 * <p>Not thread-safe.
 */
final class NewcArchive implements AutoCloseable {
  private static final int DIRECTORY = 0040755;
  private static final int EXECUTABLE = 0100755;
  private static final int REGULAR = 0100644;
  private static final int SYMLINK = 0120777;
  private static final long MAX_FILE = 0xFFFF_FFFFL;

  private final OutputStream out;
  private long written;
  private int inode;
  private boolean finished;

  NewcArchive(OutputStream out) {
    this.out = Objects.requireNonNull(out, "out");
  }

  void directory(String name) throws IOException {
    header(name, DIRECTORY, 2, 0);
  }

  void file(String name, boolean executable, byte[] content) throws IOException {
    header(name, executable ? EXECUTABLE : REGULAR, 1, content.length);
    write(content, content.length);
    pad();
  }

  void file(String name, boolean executable, Path source) throws IOException {
    long size = Files.size(source);
    if (size > MAX_FILE) {
      throw new IOException(source + " is too large for a cpio archive");
    }
    header(name, executable ? EXECUTABLE : REGULAR, 1, size);
    long copied = 0;
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(source)) {
      int read;
      while (copied < size && (read = in.read(buffer, 0, (int) Math.min(buffer.length, size - copied))) > 0) {
        write(buffer, read);
        copied += read;
      }
    }
    if (copied != size) {
      throw new IOException(source + " changed while it was archived");
    }
    pad();
  }

  void symlink(String name, String target) throws IOException {
    byte[] bytes = target.getBytes(StandardCharsets.UTF_8);
    header(name, SYMLINK, 1, bytes.length);
    write(bytes, bytes.length);
    pad();
  }

  /** Writes the trailer. Idempotent; the caller closes the stream. */
  @Override
  public void close() throws IOException {
    if (!finished) {
      finished = true;
      inode = -1; // the trailer has inode 0
      header("TRAILER!!!", 0, 1, 0);
      out.flush();
    }
  }

  private void header(String name, int mode, int links, long size) throws IOException {
    if (finished && !name.equals("TRAILER!!!")) {
      throw new IllegalStateException("the archive is finished");
    }
    if (name.isEmpty() || name.startsWith("/") || name.contains("\0")) {
      throw new IllegalArgumentException("bad entry name '" + name + "'");
    }
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    StringBuilder h = new StringBuilder(110).append("070701");
    hex(h, ++inode);
    hex(h, mode);
    hex(h, 0); // uid
    hex(h, 0); // gid
    hex(h, links);
    hex(h, 0); // mtime
    hex(h, size);
    hex(h, 0); // dev major
    hex(h, 0); // dev minor
    hex(h, 0); // rdev major
    hex(h, 0); // rdev minor
    hex(h, nameBytes.length + 1L);
    hex(h, 0); // check
    byte[] bytes = h.toString().getBytes(StandardCharsets.US_ASCII);
    write(bytes, bytes.length);
    write(nameBytes, nameBytes.length);
    write(new byte[] {0}, 1);
    pad();
  }

  private static void hex(StringBuilder h, long value) {
    String digits = Long.toHexString(value);
    h.append("0".repeat(8 - digits.length())).append(digits);
  }

  private void write(byte[] bytes, int length) throws IOException {
    out.write(bytes, 0, length);
    written += length;
  }

  private void pad() throws IOException {
    int padding = (int) ((4 - (written & 3)) & 3);
    if (padding > 0) {
      write(new byte[padding], padding);
    }
  }
}
