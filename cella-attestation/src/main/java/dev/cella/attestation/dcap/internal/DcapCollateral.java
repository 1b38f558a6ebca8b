package dev.cella.attestation.dcap.internal;

import dev.cella.attestation.AttestationException;
import dev.cella.attestation.AttestationException.Reason;
import dev.cella.attestation.hardware.internal.Certificates;
import dev.cella.attestation.hardware.internal.CollateralFiles;
import dev.cella.attestation.hardware.internal.CollateralFiles.CollateralFile;
import dev.cella.attestation.hardware.internal.Digests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * DCAP collateral read from a folder, each file recognized by its content: PEM (certificates,
 * CRLs), DER (a certificate or a CRL), Intel PCS JSON bodies ({@code tcbInfo},
 * {@code enclaveIdentity}) and the QuoteCollateralV3 JSON of Intel's and Phala's libraries
 * ({@code tcb_info}, {@code qe_identity}, issuer chains, hex CRLs). Other files are ignored.
 * What a file holds is parsed once per content (SHA-256) and cached. Immutable.
 */
public final class DcapCollateral {
  private static final int CACHE_LIMIT = 1024;
  private static final Map<String, DcapCollateral> PARSED = new ConcurrentHashMap<>();

  /** Forgets every parsed collateral file (benchmarks measure cold paths with it). */
  public static void forgetAll() {
    PARSED.clear();
  }

  private final List<X509Certificate> certificates;
  private final List<X509CRL> crls;
  private final List<Signed<TcbInfo>> tcbInfos;
  private final List<Signed<EnclaveIdentity>> identities;

  private DcapCollateral(List<X509Certificate> certificates, List<X509CRL> crls,
      List<Signed<TcbInfo>> tcbInfos, List<Signed<EnclaveIdentity>> identities) {
    this.certificates = List.copyOf(certificates);
    this.crls = List.copyOf(crls);
    this.tcbInfos = List.copyOf(tcbInfos);
    this.identities = List.copyOf(identities);
  }

  public List<X509Certificate> certificates() {
    return certificates;
  }

  public List<X509CRL> crls() {
    return crls;
  }

  public List<Signed<TcbInfo>> tcbInfos() {
    return tcbInfos;
  }

  public List<Signed<EnclaveIdentity>> identities() {
    return identities;
  }

  /** Reads the folder; none gives empty collateral. */
  public static DcapCollateral read(Optional<Path> dir) throws AttestationException {
    List<X509Certificate> certs = new ArrayList<>();
    List<X509CRL> crls = new ArrayList<>();
    List<Signed<TcbInfo>> tcbInfos = new ArrayList<>();
    List<Signed<EnclaveIdentity>> identities = new ArrayList<>();
    for (CollateralFile file : CollateralFiles.read(dir)) {
      DcapCollateral one = ofFile(file);
      certs.addAll(one.certificates);
      crls.addAll(one.crls);
      // the cache is by content: name each value after the file it came from this time
      for (Signed<TcbInfo> t : one.tcbInfos) {
        tcbInfos.add(new Signed<>(t.value(), t.signedText(), t.signature(), file.name()));
      }
      for (Signed<EnclaveIdentity> e : one.identities) {
        identities.add(new Signed<>(e.value(), e.signedText(), e.signature(), file.name()));
      }
    }
    return new DcapCollateral(certs, crls, tcbInfos, identities);
  }

  private static DcapCollateral ofFile(CollateralFile file) throws AttestationException {
    String key = Digests.sha256Hex(file.content());
    DcapCollateral cached = PARSED.get(key);
    if (cached != null) {
      return cached;
    }
    DcapCollateral parsed = parse(file);
    if (PARSED.size() >= CACHE_LIMIT) {
      PARSED.clear();
    }
    PARSED.put(key, parsed);
    return parsed;
  }

  private static DcapCollateral parse(CollateralFile file) throws AttestationException {
    byte[] data = file.content();
    List<X509Certificate> certs = new ArrayList<>();
    List<X509CRL> crls = new ArrayList<>();
    List<Signed<TcbInfo>> tcbInfos = new ArrayList<>();
    List<Signed<EnclaveIdentity>> identities = new ArrayList<>();
    if (Certificates.looksLikePem(data)) {
      pem(new String(data, StandardCharsets.US_ASCII), certs, crls);
    } else if (Certificates.derLength(data, 0, data.length) == data.length) {
      der(data, certs, crls);
    } else if (firstNonSpace(data) == '{') {
      json(file, certs, crls, tcbInfos, identities);
    }
    return new DcapCollateral(certs, crls, tcbInfos, identities);
  }

  private static void json(CollateralFile file, List<X509Certificate> certs, List<X509CRL> crls,
      List<Signed<TcbInfo>> tcbInfos, List<Signed<EnclaveIdentity>> identities)
      throws AttestationException {
    SignedJson top;
    try {
      top = SignedJson.scan(file.content());
    } catch (IOException e) {
      return; // not JSON we know: not collateral
    }
    try {
      String signature = top.strings().get("signature");
      if (top.objects().containsKey("tcbInfo")) {
        byte[] text = top.objects().get("tcbInfo");
        tcbInfos.add(new Signed<>(TcbInfo.parse(text), text, hex(signature, "signature"),
            file.name()));
      }
      for (String k : List.of("enclaveIdentity", "qeIdentity")) {
        if (top.objects().containsKey(k)) {
          byte[] text = top.objects().get(k);
          identities.add(new Signed<>(EnclaveIdentity.parse(text), text,
              hex(signature, "signature"), file.name()));
        }
      }
      Map<String, String> s = top.strings();
      if (s.containsKey("tcb_info")) {
        byte[] text = s.get("tcb_info").getBytes(StandardCharsets.UTF_8);
        tcbInfos.add(new Signed<>(TcbInfo.parse(text), text,
            hex(s.get("tcb_info_signature"), "tcb_info_signature"), file.name()));
      }
      if (s.containsKey("qe_identity")) {
        byte[] text = s.get("qe_identity").getBytes(StandardCharsets.UTF_8);
        identities.add(new Signed<>(EnclaveIdentity.parse(text), text,
            hex(s.get("qe_identity_signature"), "qe_identity_signature"), file.name()));
      }
      for (var e : s.entrySet()) {
        if (e.getKey().endsWith("_chain") || e.getKey().endsWith("_certificate")) {
          pem(e.getValue(), certs, crls);
        } else if (e.getKey().endsWith("_crl")) {
          der(hex(e.getValue(), e.getKey()), certs, crls);
        }
      }
    } catch (IOException e) {
      throw new AttestationException(Reason.MALFORMED,
          "collateral file " + file.name() + ": " + e.getMessage(), e);
    }
  }

  private static byte[] hex(String value, String what) throws IOException {
    if (value == null) {
      throw new IOException("has no " + what);
    }
    try {
      return HexFormat.of().parseHex(value.trim());
    } catch (IllegalArgumentException e) {
      throw new IOException(what + " is not hex", e);
    }
  }

  private static void pem(String text, List<X509Certificate> certs, List<X509CRL> crls) {
    for (var block : Certificates.pemBlocks(text)) {
      if (block.label().equals("CERTIFICATE")) {
        der(block.der(), certs, crls);
      } else if (block.label().equals("X509 CRL")) {
        der(block.der(), certs, crls);
      }
    }
  }

  private static void der(byte[] der, List<X509Certificate> certs, List<X509CRL> crls) {
    try {
      certs.add(Certificates.fromDer(der));
      return;
    } catch (CertificateException | RuntimeException e) {
      // maybe a CRL
    }
    try {
      crls.add(Certificates.crlFromDer(der));
    } catch (CRLException | RuntimeException e) {
      // neither: not collateral
    }
  }

  private static int firstNonSpace(byte[] data) {
    for (byte b : data) {
      if (!Character.isWhitespace(b)) {
        return b;
      }
    }
    return -1;
  }
}
