package dev.cella.attestation.snp.internal;

import dev.cella.attestation.AttestationException;
import dev.cella.attestation.AttestationException.Reason;
import dev.cella.attestation.hardware.internal.Certificates;
import dev.cella.attestation.hardware.internal.CollateralFiles;
import dev.cella.attestation.hardware.internal.CollateralFiles.CollateralFile;
import java.nio.charset.StandardCharsets;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.nio.file.Path;

/**
 * The certificates and CRLs of an SNP collateral folder, recognized by content (PEM or DER
 * certificates, PEM or DER CRLs; other files are ignored), and the VCEK/VLEK among them that
 * belongs to a report.
 *
 * <p>Immutable and thread-safe.
 */
public final class AmdKeys {
  private final List<X509Certificate> certificates;
  private final List<X509CRL> crls;

  private AmdKeys(List<X509Certificate> certificates, List<X509CRL> crls) {
    this.certificates = List.copyOf(certificates);
    this.crls = List.copyOf(crls);
  }

  /** Reads the folder (none: no certificates). */
  public static AmdKeys read(Optional<Path> dir) throws AttestationException {
    List<X509Certificate> certs = new ArrayList<>();
    List<X509CRL> crls = new ArrayList<>();
    for (CollateralFile file : CollateralFiles.read(dir)) {
      byte[] data = file.content();
      if (Certificates.looksLikePem(data)) {
        for (var block : Certificates.pemBlocks(new String(data, StandardCharsets.US_ASCII))) {
          add(block.label(), block.der(), certs, crls);
        }
      } else if (Certificates.derLength(data, 0, data.length) == data.length) {
        add(null, data, certs, crls);
      }
    }
    return new AmdKeys(certs, crls);
  }

  private static void add(String label, byte[] der, List<X509Certificate> certs,
      List<X509CRL> crls) {
    if (label == null || label.equals("CERTIFICATE")) {
      try {
        certs.add(Certificates.fromDer(der));
        return;
      } catch (CertificateException e) {
        // maybe a CRL
      }
    }
    if (label == null || label.equals("X509 CRL")) {
      try {
        crls.add(Certificates.crlFromDer(der));
      } catch (CRLException e) {
        // neither: not collateral
      }
    }
  }

  public List<X509Certificate> certificates() {
    return certificates;
  }

  public List<X509CRL> crls() {
    return crls;
  }

  /**
   * The VCEK or VLEK that may have signed {@code report}: of the signing key's kind, for its
   * chip (VCEK, unless the chip id is masked) and certifying exactly its REPORTED_TCB.
   */
  public List<AmdKeyCertificate> candidatesFor(SnpReport report) throws AttestationException {
    boolean vlek = report.signingKey() == SnpReport.SIGNED_BY_VLEK;
    String kind = vlek ? "VLEK" : "VCEK";
    List<AmdKeyCertificate> ofKind = new ArrayList<>();
    for (X509Certificate cert : certificates) {
      AmdKeyCertificate.of(cert).filter(k -> k.isVlek() == vlek).ifPresent(ofKind::add);
    }
    boolean chipKnown = !vlek && !report.chipIdMasked();
    List<AmdKeyCertificate> forChip = ofKind.stream()
        .filter(k -> !chipKnown || k.matchesChip(report.chipId())).toList();
    String chip = HexFormat.of().formatHex(report.chipId());
    if (forChip.isEmpty()) {
      throw new AttestationException(Reason.MISSING_COLLATERAL, "sev-snp report: no " + kind
          + (chipKnown ? " for CHIP_ID " + chip : "") + " among the collateral ("
          + ofKind.size() + " other " + kind + "(s) found); " + kdsHint(report, vlek, chip));
    }
    List<AmdKeyCertificate> matching = new ArrayList<>();
    for (AmdKeyCertificate key : forChip) {
      if (key.tcb().equals(TcbVersion.of(report.reportedTcb(), key.isTurin()))) {
        matching.add(key);
      }
    }
    if (matching.isEmpty()) {
      AmdKeyCertificate first = forChip.get(0);
      throw new AttestationException(Reason.TCB_NOT_ACCEPTED, "sev-snp report: REPORTED_TCB ("
          + TcbVersion.of(report.reportedTcb(), first.isTurin()) + ") matches no " + kind
          + " of this platform in the collateral (the " + kind + " certifies " + first.tcb()
          + "); " + kdsHint(report, vlek, chip));
    }
    return matching;
  }

  private static String kdsHint(SnpReport report, boolean vlek, String chip) {
    boolean turin = report.cpuidFamily() == 0x1A;
    if (vlek) {
      return "a VLEK comes from the cloud provider (AMD KDS /vlek/v1/ needs its credentials)";
    }
    return "get it from https://kdsintf.amd.com/vcek/v1/" + (turin ? "Turin" : "{Milan,Genoa}")
        + "/" + (turin ? chip.substring(0, 16) : chip) + "?"
        + TcbVersion.of(report.reportedTcb(), turin).kdsQuery();
  }
}
