package dev.cella;

import java.util.Locale;

/**
 * The kind of platform that runs an enclave and vouches for it. Its {@link #id()} is the name used
 * in evidence, policies and on the command line.
 */
public enum PlatformKind {
  /** Cella's simulated platform: no isolation, a simulated key. */
  SIM("sim", true),
  /** Cella's process platform: a sandboxed child JVM. */
  PROCESS("process", true),
  /** Cella's vm platform: a micro-VM with its own kernel. */
  VM("vm", true),
  /** Intel SGX enclaves (DCAP ECDSA quotes). */
  SGX("sgx", false),
  /** Intel TDX trust domains. */
  TDX("tdx", false),
  /** AMD SEV-SNP guests. */
  SNP("snp", false),
  /** AWS Nitro Enclaves. */
  NITRO("nitro", false);

  private final String id;
  private final boolean software;

  PlatformKind(String id, boolean software) {
    this.id = id;
    this.software = software;
  }

  /** The stable lower-case name, e.g. {@code "sim"}. */
  public String id() {
    return id;
  }

  /** Whether this is one of Cella's software platforms, whose root of trust is not a CPU vendor. */
  public boolean isSoftware() {
    return software;
  }

  /** The platform with the given id; refuses unknown names with the list of known ones. */
  public static PlatformKind fromId(String id) {
    for (PlatformKind kind : values()) {
      if (kind.id.equals(id.toLowerCase(Locale.ROOT))) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "unknown platform '" + id + "' (known: sim, process, vm, sgx, tdx, snp, nitro)");
  }
}
