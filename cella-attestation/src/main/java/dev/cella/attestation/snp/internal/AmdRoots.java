package dev.cella.attestation.snp.internal;

import dev.cella.attestation.hardware.internal.TrustedRoots;
import dev.cella.attestation.snp.SnpVerifier;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * AMD's roots (ARK per product), pinned by key, and the ASK/ASVK intermediates shipped so a
 * collateral folder needs only the VCEK or VLEK. The intermediates are not trusted by themselves:
 * every chain still ends at a pinned ARK.
 *
 * <p>Immutable and thread-safe.
 */
public final class AmdRoots {
  /** SPKI SHA-256 of ARK-Milan, ARK-Genoa, ARK-Turin. */
  public static final List<String> PINS = List.of(
      "9f056bee44377e29308cb5ffa895bdfb62d18881fa6bed8d6f075b0204089cb9",
      "429a69c9422aa258ee4d8db5fcda9c6470ef15f8cd5a9cebd6cbc7d90b863831",
      "4f125410563a2ab9a50356f9243f6fe0b6f73de98603f53f90339c70e9d7ad08");
  public static final TrustedRoots ROOTS = TrustedRoots.pinned(SnpVerifier.class,
      List.of("ark-milan.pem", "ark-genoa.pem", "ark-turin.pem"), PINS);
  public static final List<X509Certificate> INTERMEDIATES = intermediates();

  private AmdRoots() {}

  private static List<X509Certificate> intermediates() {
    List<X509Certificate> out = new ArrayList<>();
    for (String product : List.of("milan", "genoa", "turin")) {
      out.addAll(TrustedRoots.loadPem(SnpVerifier.class, "ask-" + product + ".pem"));
      out.addAll(TrustedRoots.loadPem(SnpVerifier.class, "asvk-" + product + ".pem"));
    }
    return List.copyOf(out);
  }
}
