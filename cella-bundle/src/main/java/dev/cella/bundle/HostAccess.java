package dev.cella.bundle;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What of the host a manifest grants the enclave: files and network. The default, {@link #NONE},
 * grants nothing. The manifest records and authenticates the grants; enforcing them is up to each
 * backend.
 *
 * <p>Example: {@code new HostAccess(List.of(new FileGrant("/srv/in", "/in",
 * FileGrant.Mode.READ_ONLY)), List.of())}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param files the granted files, each enclave path at most once
 * @param network the granted network permissions, each at most once
 */
public record HostAccess(List<FileGrant> files, List<NetworkGrant> network) {
  /** No files, no network. */
  public static final HostAccess NONE = new HostAccess(List.of(), List.of());

  /** The most grants of each kind a manifest may hold. */
  public static final int MAX_GRANTS = 256;

  public HostAccess {
    files = List.copyOf(files);
    network = List.copyOf(network);
    if (files.size() > MAX_GRANTS || network.size() > MAX_GRANTS) {
      throw new IllegalArgumentException("at most " + MAX_GRANTS + " file and network grants each");
    }
    Set<String> enclavePaths = new HashSet<>();
    for (FileGrant file : files) {
      if (!enclavePaths.add(file.enclavePath())) {
        throw new IllegalArgumentException(
            "enclave path " + file.enclavePath() + " is granted more than once");
      }
    }
    if (new HashSet<>(network).size() != network.size()) {
      throw new IllegalArgumentException("a network grant is listed more than once");
    }
  }

  /** Whether nothing is granted. */
  public boolean isNone() {
    return files.isEmpty() && network.isEmpty();
  }
}
