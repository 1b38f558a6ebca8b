package dev.cella.bundle;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The jars of the Cella enclave runtime ({@code cella-enclave} and what it needs), which every
 * bundle carries so that its measurement covers all trusted code. They are found in a folder: the
 * one given, or the system property {@value #DIRECTORY_PROPERTY}, which {@code ./cella} sets.
 *
 * <p>Example: {@code BundleBuilder.create(manifest).addLibraries(RuntimeJars.locate().jars())}.
 *
 * <p>Immutable and thread-safe.
 */
public final class RuntimeJars {
  /** The system property naming the folder of runtime jars. */
  public static final String DIRECTORY_PROPERTY = "cella.runtime.dir";

  private final Path directory;
  private final List<Path> jars;

  private RuntimeJars(Path directory, List<Path> jars) {
    this.directory = directory;
    this.jars = jars;
  }

  /**
   * The jars in {@code dir}, sorted by file name; other files are ignored.
   *
   * @throws EnclaveException {@code FAILED_PRECONDITION} if the folder is missing, holds no jar or
   *     no {@code cella-enclave} jar
   */
  public static RuntimeJars fromDirectory(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new EnclaveException(Code.FAILED_PRECONDITION, "the enclave runtime folder " + dir
          + " does not exist; build it with ./mvnw -pl cella-cli -am package, or run ./cella");
    }
    List<Path> jars;
    try (Stream<Path> files = Files.list(dir)) {
      jars = files.filter(f -> f.getFileName().toString().endsWith(".jar") && Files.isRegularFile(f))
          .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
          .toList();
    } catch (IOException e) {
      throw new EnclaveException(Code.FAILED_PRECONDITION,
          "cannot list the enclave runtime folder " + dir + ": " + e.getMessage(), e);
    }
    if (jars.isEmpty()) {
      throw new EnclaveException(Code.FAILED_PRECONDITION, "the enclave runtime folder " + dir
          + " holds no jars; build it with ./mvnw -pl cella-cli -am package, or run ./cella");
    }
    if (jars.stream().noneMatch(j -> j.getFileName().toString().startsWith("cella-enclave"))) {
      throw new EnclaveException(Code.FAILED_PRECONDITION, "the enclave runtime folder " + dir
          + " holds no cella-enclave jar, so it is not the Cella enclave runtime");
    }
    return new RuntimeJars(dir, jars);
  }

  /**
   * The jars in the folder named by the system property {@value #DIRECTORY_PROPERTY}.
   *
   * @throws EnclaveException {@code FAILED_PRECONDITION} if the property is unset or the folder
   *     is unusable
   */
  public static RuntimeJars locate() {
    String dir = System.getProperty(DIRECTORY_PROPERTY);
    if (dir == null || dir.isBlank()) {
      throw new EnclaveException(Code.FAILED_PRECONDITION, "the enclave runtime jars are not"
          + " located: the system property " + DIRECTORY_PROPERTY + " is not set (./cella sets it;"
          + " elsewhere pass -D" + DIRECTORY_PROPERTY + "=<folder with the cella-enclave jars>)");
    }
    return fromDirectory(Path.of(dir));
  }

  /** The folder the jars are in. */
  public Path directory() {
    return directory;
  }

  /** The jar files, sorted by file name. */
  public List<Path> jars() {
    return jars;
  }

  /** The jar file names, sorted. */
  public List<String> names() {
    return jars.stream().map(j -> j.getFileName().toString()).toList();
  }
}
