package dev.cella.attestation.cose.internal;

import dev.cella.PlatformKind;
import dev.cella.attestation.Fixtures;
import dev.cella.attestation.VerificationContext;
import dev.cella.attestation.internal.PlatformCertificates;
import dev.cella.attestation.platform.internal.CertificateIssuer;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A test platform (its own root and leaf, with a Cella platform subject) that signs whatever
 * protected header and payload bytes a test assembles, so that a refusal is about structure and
 * never about the signature.
 */
final class Crafted {
  final KeyPair rootPair;
  final X509Certificate root;
  final KeyPair leafPair;
  final X509Certificate leaf;

  Crafted(PlatformKind kind) throws GeneralSecurityException {
    Instant now = Instant.now();
    rootPair = CertificateIssuer.newKeyPair();
    root = CertificateIssuer.root(kind, rootPair, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)));
    leafPair = CertificateIssuer.newKeyPair();
    leaf = CertificateIssuer.leaf(PlatformCertificates.attestationSubject(kind), leafPair.getPublic(),
        root, rootPair.getPrivate(), now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)));
  }

  VerificationContext context() {
    return new VerificationContext(Instant.now(), List.of(root), false, Optional.empty());
  }

  byte[] protectedHeader() throws GeneralSecurityException {
    return RawCbor.map(List.of(
        new byte[][] {RawCbor.uint(1), RawCbor.nint(-35)},
        new byte[][] {RawCbor.uint(33), RawCbor.array(RawCbor.bstr(leaf.getEncoded()),
            RawCbor.bstr(root.getEncoded()))}));
  }

  /** Valid v1 claims of {@code kind}, value encodings by claim name. */
  static LinkedHashMap<String, byte[]> claims(PlatformKind kind) {
    LinkedHashMap<String, byte[]> claims = new LinkedHashMap<>();
    claims.put("profile", RawCbor.tstr("tag:cella.dev,2026:evidence/v1"));
    claims.put("platform", RawCbor.tstr(kind.id()));
    claims.put("security-level", RawCbor.tstr(switch (kind) {
      case SIM -> "none";
      case PROCESS -> "process-isolation";
      default -> "vm-isolation";
    }));
    claims.put("measurement", RawCbor.bstr(Fixtures.measurement("app").toByteArray()));
    claims.put("signer", RawCbor.bstr(Fixtures.signer("acme").toByteArray()));
    claims.put("product-id", RawCbor.uint(42));
    claims.put("svn", RawCbor.uint(7));
    claims.put("debug", RawCbor.bool(false));
    claims.put("nonce", RawCbor.bstr(Fixtures.nonce()));
    claims.put("report-data", RawCbor.bstr(Fixtures.reportData()));
    claims.put("issued-at", RawCbor.uint(Instant.now().getEpochSecond()));
    claims.put("runtime", RawCbor.sortedTextMap(Map.of(
        "jdk-version", RawCbor.tstr("25.0.1"), "backend-version", RawCbor.tstr("0.1.0"))));
    return claims;
  }

  /** Tag 18, [protected, {}, payload, signature] with a valid signature over the given bytes. */
  byte[] sign(byte[] protectedHeader, byte[] payload) throws GeneralSecurityException {
    byte[] signature = Es384.sign(leafPair.getPrivate(),
        CoseSign1.sigStructure(protectedHeader, payload));
    return RawCbor.cat(new byte[] {(byte) 0xD2}, RawCbor.array(RawCbor.bstr(protectedHeader),
        RawCbor.map(List.of()), RawCbor.bstr(payload), RawCbor.bstr(signature)));
  }

  byte[] sign(byte[] payload) throws GeneralSecurityException {
    return sign(protectedHeader(), payload);
  }

  byte[] signClaims(Map<String, byte[]> claims) throws GeneralSecurityException {
    return sign(RawCbor.sortedTextMap(claims));
  }
}
