package dev.cella.attestation.dcap.internal;

import dev.cella.attestation.hardware.internal.TrustedRoots;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * The Intel SGX Root CA (for SGX and TDX), pinned by key, and Intel's intermediates shipped so a
 * collateral folder may omit them (they are not trusted by themselves).
 *
 * <p>Immutable and thread-safe.
 */
public final class IntelRoots {
  /** SPKI SHA-256 of the Intel SGX Root CA. */
  public static final String ROOT_KEY_SHA256 =
      "a0af031289f5d5d4132f9186068a7fc13628633ba235777472e29b6b6c67a49e";
  public static final TrustedRoots ROOTS = TrustedRoots.pinned(IntelRoots.class,
      List.of("/dev/cella/attestation/dcap/intel-sgx-root-ca.pem"), List.of(ROOT_KEY_SHA256));
  public static final List<X509Certificate> INTERMEDIATES = intermediates();

  private IntelRoots() {}

  private static List<X509Certificate> intermediates() {
    List<X509Certificate> out = new ArrayList<>();
    for (String name : List.of("intel-sgx-pck-platform-ca.pem", "intel-sgx-tcb-signing-2018.pem",
        "intel-sgx-tcb-signing-2025.pem")) {
      out.addAll(TrustedRoots.loadPem(IntelRoots.class, "/dev/cella/attestation/dcap/" + name));
    }
    return List.copyOf(out);
  }
}
