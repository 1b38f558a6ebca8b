package dev.cella.enclave.internal.program;

import dev.cella.protocol.ProgramMessages.Mount;
import java.util.List;

/**
 * One line for the host that names the grant a refused file access lacked: the path was under no
 * grant, or it was written under a read-only one. Empty when the path is inside a grant that
 * allows the access (the file is just missing) or inside the enclave's own {@code /tmp}.
 *
 * <p>Stateless and thread-safe.
 */
final class Hints {
  private Hints() {}

  static String forDenial(Denials.Denial denial, List<Mount> mounts) {
    if (denial == null || denial.path() == null || !denial.path().startsWith("/")) {
      return "";
    }
    String path = denial.path();
    if (under(path, "/tmp")) {
      return "";
    }
    Mount best = null;
    for (Mount m : mounts) {
      if (under(path, m.enclavePath())
          && (best == null || m.enclavePath().length() > best.enclavePath().length())) {
        best = m;
      }
    }
    if (best == null) {
      String dir = parent(path);
      return "the program was refused " + path + ": the manifest grants no host folder at " + dir
          + " (grant one: cella package ... --mount HOST-DIR:" + dir + ":read-only)";
    }
    if (denial.write() && best.mode().equals("read-only")) {
      return "the program could not write " + path + ": the manifest grants " + best.hostPath()
          + " at " + best.enclavePath() + " read-only (grant it with mode read-write or sealed)";
    }
    return "";
  }

  /**
   * One line for the host when the program died of a network refusal (in {@code t} or one of its
   * causes): a name that does not resolve, a connection refused or unreachable. Inside the
   * enclave only the manifest's connect grants are reachable, and names resolve only to them.
   * Empty for anything else.
   */
  static String forNetwork(Throwable t) {
    for (int depth = 0; t != null && depth < 32; depth++, t = t.getCause()) {
      if (t instanceof java.net.UnknownHostException) {
        String host = t.getMessage() == null ? "the host" : t.getMessage().strip();
        return "the program could not resolve " + host + ": the manifest grants no connection"
            + " to it (grant one: cella package ... --connect " + host + ":PORT)";
      }
      if (t instanceof java.net.ConnectException || t instanceof java.net.NoRouteToHostException) {
        return "the program's connection was refused: inside the enclave only the manifest's"
            + " connect grants are reachable (grant one: cella package ... --connect HOST:PORT)";
      }
    }
    return "";
  }

  /** The hint for the exception that ended the program: a file's grant, else a connection's. */
  static String forFailure(Throwable t, List<Mount> mounts) {
    String files = forDenial(Denials.inChain(t), mounts);
    return files.isEmpty() ? forNetwork(t) : files;
  }

  private static boolean under(String path, String root) {
    return root.equals("/") || path.equals(root) || path.startsWith(root + "/");
  }

  private static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }
}
