package dev.cella.maven.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decides which jars go into a bundle and under which names: the project's jar, its runtime
 * dependencies, and the enclave runtime. A dependency that is also part of the runtime is taken
 * once, from the runtime, and only if both name the same version; every jar is named {@code
 * artifactId-version[-classifier].jar}, independent of where the file lies.
 *
 * <p>Stateless and thread-safe.
 */
public final class JarSelection {
  /** The runtime's own artifact, which every runtime set must hold. */
  public static final String RUNTIME_GROUP = "dev.cella";
  /** The artifact id of the trusted runtime. */
  public static final String RUNTIME_ARTIFACT = "cella-enclave";

  /**
   * A resolved artifact.
   *
   * @param groupId the group id
   * @param artifactId the artifact id
   * @param version the base version (a snapshot as {@code -SNAPSHOT}, not time-stamped)
   * @param classifier the classifier, empty for none
   * @param file the resolved file
   */
  public record Artifact(String groupId, String artifactId, String version, String classifier,
      Path file) {
    public Artifact {
      Objects.requireNonNull(groupId, "groupId");
      Objects.requireNonNull(artifactId, "artifactId");
      Objects.requireNonNull(version, "version");
      classifier = classifier == null ? "" : classifier;
    }

    /** {@code groupId:artifactId[:classifier]}: what identifies it apart from its version. */
    public String key() {
      return groupId + ":" + artifactId + (classifier.isEmpty() ? "" : ":" + classifier);
    }

    /** The file name inside the bundle. */
    public String bundleName() {
      return artifactId + "-" + version + (classifier.isEmpty() ? "" : "-" + classifier) + ".jar";
    }

    @Override
    public String toString() {
      return key() + ":" + version;
    }
  }

  /**
   * The chosen jars.
   *
   * @param project the project's own jar
   * @param dependencies its dependencies that are not part of the runtime, in the given order
   * @param runtime the runtime's jars, in the given order
   */
  public record Selection(BundleAssembler.Jar project, List<BundleAssembler.Jar> dependencies,
      List<BundleAssembler.Jar> runtime) {}

  private JarSelection() {}

  /**
   * Selects the jars.
   *
   * @throws IllegalArgumentException if the runtime lacks {@code cella-enclave}, a file is not a
   *     jar file, or a dependency names another version of a runtime artifact
   */
  public static Selection select(Artifact project, List<Artifact> dependencies,
      List<Artifact> runtime) {
    Map<String, Artifact> runtimeByKey = new LinkedHashMap<>();
    for (Artifact a : runtime) {
      runtimeByKey.put(a.key(), a);
    }
    if (!runtimeByKey.containsKey(RUNTIME_GROUP + ":" + RUNTIME_ARTIFACT)) {
      throw new IllegalArgumentException("the enclave runtime set " + runtime + " lacks "
          + RUNTIME_GROUP + ":" + RUNTIME_ARTIFACT);
    }
    List<BundleAssembler.Jar> deps = new ArrayList<>();
    for (Artifact a : dependencies) {
      Artifact inRuntime = runtimeByKey.get(a.key());
      if (inRuntime == null) {
        deps.add(jar(a, "dependency"));
      } else if (!inRuntime.version().equals(a.version())) {
        throw new IllegalArgumentException("the dependency " + a + " is part of the enclave"
            + " runtime, which is at " + inRuntime.version() + "; use one Cella version throughout"
            + " (import dev.cella:cella-bom, and depend on dev.cella:cella-enclave with scope"
            + " provided: the runtime follows that dependency's version)");
      }
    }
    List<BundleAssembler.Jar> rt = new ArrayList<>();
    for (Artifact a : runtime) {
      rt.add(jar(a, "enclave runtime artifact"));
    }
    return new Selection(jar(project, "project artifact"), List.copyOf(deps), List.copyOf(rt));
  }

  private static BundleAssembler.Jar jar(Artifact a, String role) {
    Path file = a.file();
    if (file == null) {
      throw new IllegalArgumentException("the " + role + " " + a + " has no file; was it resolved?");
    }
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException("the " + role + " " + a + " is a folder (" + file
          + "), not a jar: build it to the package phase first, e.g. mvn package or mvn verify");
    }
    if (!Files.isRegularFile(file) || !file.getFileName().toString().endsWith(".jar")) {
      throw new IllegalArgumentException("the " + role + " " + a + " is not a jar file: " + file);
    }
    return new BundleAssembler.Jar(a.bundleName(), file);
  }
}
