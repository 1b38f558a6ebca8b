package dev.cella.backend.process;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.bundle.ApplicationSpec;
import dev.cella.bundle.FileGrant;
import dev.cella.bundle.InvalidBundleException;
import dev.cella.bundle.Manifest;
import dev.cella.spi.LaunchRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a manifest adds to the sandbox: each file grant mounted at its enclave path ({@code
 * read-only}: {@code --ro-bind}, {@code read-write}: {@code --bind}, {@code sealed}: an empty
 * tmpfs of at most {@value #SEALED_TMPFS_BYTES} bytes, into which the runtime unseals the grant's
 * sealed store and from which it seals it back), and for an application bundle its environment
 * and its working directory. Nothing else of the host becomes visible.
 *
 * <p>Immutable and thread-safe.
 */
final class SandboxGrants {
  private static final List<String> RESERVED = List.of("/cella", "/proc", "/dev");

  /** The size of a sealed mount's tmpfs inside the sandbox (256 MiB). */
  static final String SEALED_TMPFS_BYTES = "268435456";

  static final SandboxGrants NONE = new SandboxGrants(List.of(), List.of(), "/tmp", List.of());

  private final List<String> mounts;
  private final List<String> env;
  private final String workingDirectory;
  private final List<String> jvmOptions;

  private SandboxGrants(List<String> mounts, List<String> env, String workingDirectory,
      List<String> jvmOptions) {
    this.mounts = mounts;
    this.env = env;
    this.workingDirectory = workingDirectory;
    this.jvmOptions = jvmOptions;
  }

  /**
   * The grants of the request's manifest; refuses a grant whose host path is missing or whose
   * enclave path would cover the sandbox's own files ({@code /cella}, {@code /proc}, {@code
   * /dev}, the JDK and its libraries).
   *
   * @param systemPaths the host paths the sandbox shows for the JDK
   */
  static SandboxGrants of(LaunchRequest request, List<String> systemPaths) {
    if (request.manifest().length() == 0) {
      return NONE;
    }
    Manifest manifest;
    try {
      manifest = Manifest.fromJson(request.manifest().toByteArray());
    } catch (InvalidBundleException e) {
      throw new EnclaveException(Code.INVALID_ARGUMENT, "the launch request's manifest is invalid: "
          + e.getMessage(), e);
    }
    List<String> mounts = new ArrayList<>();
    for (FileGrant grant : manifest.hostAccess().files()) {
      checkEnclavePath(grant.enclavePath(), systemPaths);
      switch (grant.mode()) {
        case READ_ONLY, READ_WRITE -> {
          if (!Files.exists(Path.of(grant.hostPath()))) {
            throw new EnclaveException(Code.FAILED_PRECONDITION, "the manifest grants host path "
                + grant.hostPath() + " at " + grant.enclavePath() + ", but it does not exist");
          }
          mounts.addAll(List.of(grant.mode() == FileGrant.Mode.READ_ONLY ? "--ro-bind" : "--bind",
              grant.hostPath(), grant.enclavePath()));
        }
        // The enclave's own memory: the runtime unseals the store into it and seals it back.
        case SEALED -> mounts.addAll(List.of("--size", SEALED_TMPFS_BYTES, "--tmpfs",
            grant.enclavePath()));
      }
    }
    ApplicationSpec app = manifest.application().orElse(null);
    if (app == null) {
      return new SandboxGrants(List.copyOf(mounts), List.of(), "/tmp", List.of());
    }
    List<String> env = new ArrayList<>();
    app.env().forEach((k, v) -> env.addAll(List.of("--setenv", k, v)));
    return new SandboxGrants(List.copyOf(mounts), List.copyOf(env),
        app.workingDirectory().orElse("/tmp"), List.of());
  }

  private static void checkEnclavePath(String path, List<String> systemPaths) {
    List<String> reserved = new ArrayList<>(RESERVED);
    reserved.addAll(systemPaths);
    if (path.equals("/")) {
      throw covers(path, "the whole sandbox");
    }
    for (String r : reserved) {
      if (path.equals(r) || path.startsWith(r + "/") || r.startsWith(path + "/")) {
        throw covers(path, r);
      }
    }
  }

  private static EnclaveException covers(String path, String what) {
    return new EnclaveException(Code.FAILED_PRECONDITION, "a file grant at enclave path " + path
        + " would cover " + what + ", which the sandbox needs; choose another enclave path");
  }

  /** bubblewrap mount arguments, after the sandbox's own. */
  List<String> mounts() {
    return mounts;
  }

  /** bubblewrap {@code --setenv} arguments. */
  List<String> env() {
    return env;
  }

  /** The working directory inside. */
  String workingDirectory() {
    return workingDirectory;
  }

  /** Options for the enclave JVM. */
  List<String> jvmOptions() {
    return jvmOptions;
  }
}
