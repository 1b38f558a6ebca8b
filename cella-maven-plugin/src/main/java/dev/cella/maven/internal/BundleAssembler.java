package dev.cella.maven.internal;

import dev.cella.bundle.BundleBuilder;
import dev.cella.bundle.BundleCheck;
import dev.cella.bundle.Manifest;
import dev.cella.bundle.UnsignedBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Puts a bundle together: the project's jar (in {@link CanonicalJar canonical form}), its
 * dependencies and the enclave runtime, under the given file names, then {@linkplain BundleCheck
 * checks} the entry and services against the result. Knows nothing about Maven, so it is tested
 * on its own.
 *
 * <p>Stateless and thread-safe.
 */
public final class BundleAssembler {
  /**
   * A jar to put into {@code lib/}.
   *
   * @param name the file name inside the bundle, e.g. {@code app-1.0.jar}
   * @param file the jar file
   */
  public record Jar(String name, Path file) {
    public Jar {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(file, "file");
    }
  }

  private BundleAssembler() {}

  /**
   * The checked, unsigned bundle.
   *
   * @throws IOException if a jar cannot be read
   * @throws IllegalArgumentException if two jars share a name or a file is not a jar
   * @throws dev.cella.EnclaveException {@code INVALID_ARGUMENT} from {@link BundleCheck}
   */
  public static UnsignedBundle assemble(Manifest manifest, Jar project, List<Jar> dependencies,
      List<Jar> runtime) throws IOException {
    BundleBuilder builder = BundleBuilder.create(manifest);
    builder.addLibrary(project.name(), CanonicalJar.rewrite(Files.readAllBytes(project.file())));
    for (Jar jar : dependencies) {
      builder.addLibrary(jar.name(), Files.readAllBytes(jar.file()));
    }
    for (Jar jar : runtime) {
      builder.addLibrary(jar.name(), Files.readAllBytes(jar.file()));
    }
    UnsignedBundle unsigned = builder.buildUnsigned();
    BundleCheck.check(unsigned);
    return unsigned;
  }
}
