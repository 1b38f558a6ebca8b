package dev.cella.maven.internal;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;

/**
 * Resolves the enclave runtime — {@code dev.cella:cella-enclave} at a version and what it needs
 * at run time — with the build's own repository system, so the runtime comes from the same
 * repositories (and the same reactor) as the project's dependencies.
 *
 * <p>Thread-safe.
 */
public final class RuntimeResolver {
  private final RepositorySystem system;

  /** A resolver over the build's repository system. */
  public RuntimeResolver(RepositorySystem system) {
    this.system = system;
  }

  /**
   * The runtime's artifacts, {@code cella-enclave} first.
   *
   * @throws DependencyResolutionException if the runtime cannot be resolved
   */
  public List<JarSelection.Artifact> resolve(RepositorySystemSession session,
      List<RemoteRepository> repositories, String version) throws DependencyResolutionException {
    DefaultArtifact root = new DefaultArtifact(
        JarSelection.RUNTIME_GROUP, JarSelection.RUNTIME_ARTIFACT, "jar", version);
    CollectRequest collect = new CollectRequest(new Dependency(root, "runtime"), repositories);
    List<ArtifactResult> results =
        system.resolveDependencies(session, new DependencyRequest(collect, null)).getArtifactResults();
    List<JarSelection.Artifact> artifacts = new ArrayList<>();
    for (ArtifactResult r : results) {
      var a = r.getArtifact();
      if (!"jar".equals(a.getExtension())) {
        continue;
      }
      artifacts.add(new JarSelection.Artifact(a.getGroupId(), a.getArtifactId(), a.getBaseVersion(),
          a.getClassifier(), a.getFile() == null ? null : a.getFile().toPath()));
    }
    return List.copyOf(artifacts);
  }
}
