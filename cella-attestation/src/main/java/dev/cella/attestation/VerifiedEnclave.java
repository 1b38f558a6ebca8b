package dev.cella.attestation;

import dev.cella.Bytes;
import dev.cella.PlatformKind;
import dev.cella.SecurityLevel;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What verified evidence proves about an enclave: the same shape for Cella's software platforms
 * and for hardware TEEs. Only values covered by the evidence's signature appear here.
 *
 * <p>{@code measurement} is the platform's primary code measurement (Cella: bundle measurement;
 * SGX: MRENCLAVE; TDX: MRTD; SEV-SNP: MEASUREMENT; Nitro: PCR0). {@code signer} is who vouches for
 * that code where the platform has such a notion (Cella: signer id; SGX: MRSIGNER). Everything
 * else platform-specific is in {@link #claims()}, by the names of {@link ClaimNames}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param format the evidence format, e.g. {@code "cella-cose"}, {@code "sgx-dcap-v3"}
 * @param platform the platform kind
 * @param securityLevel how strongly the platform isolates
 * @param measurement the primary code measurement
 * @param signer the code signer's identity, where the platform has one
 * @param productId the product id (Cella, SGX ISVPRODID), 0 where the platform has none
 * @param svn the security version (Cella SVN, SGX ISVSVN, SNP GUEST_SVN), 0 where none
 * @param debug whether the enclave runs in a debug mode whose secrets are not protected
 * @param reportData the caller data bound into the evidence (report data / user data), maybe empty
 * @param nonce the nonce the evidence answers, where the format carries one apart from report data
 * @param issuedAt when the evidence was made, where the format says
 * @param tcb the vendor's TCB appraisal, for hardware platforms that have one
 * @param claims platform-specific claims by name, sorted
 */
public record VerifiedEnclave(
    String format, PlatformKind platform, SecurityLevel securityLevel, Bytes measurement,
    Optional<Bytes> signer, int productId, int svn, boolean debug, Bytes reportData,
    Optional<Bytes> nonce, Optional<Instant> issuedAt, Optional<TcbAppraisal> tcb,
    Map<String, String> claims) {

  public VerifiedEnclave {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(securityLevel, "securityLevel");
    Objects.requireNonNull(measurement, "measurement");
    Objects.requireNonNull(signer, "signer");
    Objects.requireNonNull(reportData, "reportData");
    Objects.requireNonNull(nonce, "nonce");
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(tcb, "tcb");
    for (String name : claims.keySet()) {
      if (!ClaimNames.isKnown(name)) {
        throw new IllegalArgumentException("unknown claim name '" + name + "'");
      }
    }
    claims = Collections.unmodifiableMap(new TreeMap<>(claims));
  }
}
