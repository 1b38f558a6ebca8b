package dev.cella;

/** How strongly a backend isolates an enclave from its host. */
public enum SecurityLevel {
  /** No isolation at all: for development and tests only. */
  NONE("none"),
  /** A separate, sandboxed operating-system process. */
  PROCESS_ISOLATION("process-isolation"),
  /** A virtual machine with its own kernel. */
  VM_ISOLATION("vm-isolation"),
  /** A hardware trusted execution environment. */
  HARDWARE("hardware");

  private final String id;

  SecurityLevel(String id) {
    this.id = id;
  }

  /** The stable name used in evidence and output, e.g. {@code "process-isolation"}. */
  public String id() {
    return id;
  }

  /** The level with the given id. */
  public static SecurityLevel fromId(String id) {
    for (SecurityLevel level : values()) {
      if (level.id.equals(id)) {
        return level;
      }
    }
    throw new IllegalArgumentException("unknown security level '" + id + "'");
  }
}
