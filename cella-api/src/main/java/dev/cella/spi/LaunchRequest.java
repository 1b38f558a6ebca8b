package dev.cella.spi;

import dev.cella.Bytes;
import dev.cella.EnclaveIdentity;
import dev.cella.EnclaveLimits;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What a backend needs to start an enclave runtime for a bundle the host has verified.
 *
 * <p>Immutable and thread-safe.
 *
 * @param enclaveName the enclave's name within its manager
 * @param identity the identity the platform measured
 * @param bundleFile the verified bundle file, for backends that re-measure it inside
 * @param classPath the bundle's jars, extracted from the verified bundle into a private folder
 * @param limits the manifest's limits
 * @param hostCalls where frames the enclave sends to the host go
 * @param manifest the verified bundle's manifest ({@code cella/manifest.json}), for backends that
 *     enforce its host access or run its application; empty when the caller gives none
 */
public record LaunchRequest(
    String enclaveName, EnclaveIdentity identity, Path bundleFile, List<Path> classPath,
    EnclaveLimits limits, HostCallHandler hostCalls, Bytes manifest) {

  /** The class every backend starts inside the enclave: the runtime's boundary entry point. */
  public static final String RUNTIME_ENTRY = "dev.cella.enclave.internal.EnclaveRuntime";

  public LaunchRequest {
    Objects.requireNonNull(enclaveName, "enclaveName");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(bundleFile, "bundleFile");
    classPath = List.copyOf(classPath);
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(hostCalls, "hostCalls");
    Objects.requireNonNull(manifest, "manifest");
  }

  /** A request without the manifest: the backend grants nothing and runs no application. */
  public LaunchRequest(String enclaveName, EnclaveIdentity identity, Path bundleFile,
      List<Path> classPath, EnclaveLimits limits, HostCallHandler hostCalls) {
    this(enclaveName, identity, bundleFile, classPath, limits, hostCalls, Bytes.empty());
  }
}
