package dev.cella.enclave.sealing;

import java.nio.ByteBuffer;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The child process of {@link SealedStorageKillTest}: opens the test store in the directory it is
 * given and writes versions of one file in a loop, printing {@code committed N} after each write
 * returns, until it is killed (or, as a bound, after 20,000 versions or 120 seconds).
 *
 * <p>Version {@code N} is self-checking: its length and every byte follow from {@code N}, so a
 * mix of two versions or a cut one is recognized by {@link #versionOf}.
 */
final class KillTestWriter {
  static final String FILE = "/data/file.bin";

  private KillTestWriter() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    long firstVersion = Long.parseLong(args[1]);
    long deadline = System.nanoTime() + 120_000_000_000L;
    try (FileSystem fs = new TestStore(dir).open()) {
      Path file = fs.getPath(FILE);
      Files.createDirectories(file.getParent());
      for (long version = firstVersion;
          version < firstVersion + 20_000 && System.nanoTime() < deadline; version++) {
        Files.write(file, content(version));
        System.out.println("committed " + version);
        System.out.flush();
      }
    }
  }

  /** The content of version {@code version}. */
  static byte[] content(long version) {
    int length = 8 + 16 * 1024 + (int) (version % 64) * 1024;
    ByteBuffer content = ByteBuffer.allocate(length);
    content.putLong(version);
    for (int i = 8; i < length; i++) {
      content.put((byte) (version * 31 + i));
    }
    return content.array();
  }

  /** The version {@code content} is, or an {@link AssertionError} if it is no complete version. */
  static long versionOf(byte[] content) {
    if (content.length < 8) {
      throw new AssertionError("content of " + content.length + " bytes is no version");
    }
    long version = ByteBuffer.wrap(content).getLong();
    if (!java.util.Arrays.equals(content, content(version))) {
      throw new AssertionError("content is not a complete copy of version " + version);
    }
    return version;
  }
}
