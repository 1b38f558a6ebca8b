package dev.cella.attestation.cose.internal;

import static dev.cella.attestation.cose.internal.RawCbor.array;
import static dev.cella.attestation.cose.internal.RawCbor.bstr;
import static dev.cella.attestation.cose.internal.RawCbor.cat;
import static dev.cella.attestation.cose.internal.RawCbor.map;
import static dev.cella.attestation.cose.internal.RawCbor.nint;
import static dev.cella.attestation.cose.internal.RawCbor.tstr;
import static dev.cella.attestation.cose.internal.RawCbor.uint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.PlatformKind;
import dev.cella.attestation.AttestationException;
import dev.cella.attestation.AttestationException.Reason;
import dev.cella.attestation.VerificationContext;
import dev.cella.attestation.VerifiedEnclave;
import dev.cella.attestation.cose.CellaEvidenceVerifier;
import dev.cella.attestation.platform.internal.CertificateIssuer;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Strict decoding of cella-cose: every refusal has its own reason and says what and where. */
class CoseDecodingTest {
  private static Crafted platform;
  private static final CellaEvidenceVerifier VERIFIER = new CellaEvidenceVerifier();

  @BeforeAll
  static void makePlatform() throws GeneralSecurityException {
    platform = new Crafted(PlatformKind.PROCESS);
  }

  private static LinkedHashMap<String, byte[]> claims() {
    return Crafted.claims(PlatformKind.PROCESS);
  }

  private static VerifiedEnclave verify(byte[] evidence) throws AttestationException {
    return VERIFIER.verify(evidence, platform.context());
  }

  private static AbstractThrowableAssert<?, ?> refused(byte[] evidence, Reason reason) {
    return assertThatThrownBy(() -> verify(evidence))
        .isInstanceOfSatisfying(AttestationException.class,
            e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
  }

  @Test
  void craftedEvidence_sameAsLibraryEncoding_verifies() throws Exception {
    byte[] payload = RawCbor.sortedTextMap(claims());
    VerifiedEnclave enclave = verify(platform.sign(payload));
    assertThat(enclave.platform()).isEqualTo(PlatformKind.PROCESS);
    assertThat(enclave.svn()).isEqualTo(7);
    byte[] headerFromLibrary = CoseSign1.sign(payload, List.of(platform.leaf, platform.root),
        platform.leafPair.getPrivate());
    // Same bytes up to the signature (ECDSA is randomized): the library encodes deterministically.
    int signatureStart = headerFromLibrary.length - 96;
    assertThat(Arrays.copyOf(headerFromLibrary, signatureStart))
        .isEqualTo(Arrays.copyOf(platform.sign(payload), signatureStart));
  }

  @Test
  void duplicateClaimKey_isMalformed() throws Exception {
    List<byte[][]> entries = sortedEntries(claims());
    entries.add(1, entries.get(0)); // "svn" sorts first; repeat it right after itself
    refused(platform.sign(map(entries)), Reason.MALFORMED)
        .hasMessageContaining("duplicate map key").hasMessageContaining("payload")
        .hasMessageContaining("at offset");
  }

  @Test
  void claimKeysOutOfDeterministicOrder_isMalformed() throws Exception {
    List<byte[][]> entries = sortedEntries(claims());
    java.util.Collections.swap(entries, 0, 1);
    refused(platform.sign(map(entries)), Reason.MALFORMED).hasMessageContaining("deterministic");
  }

  @Test
  void indefiniteLengthPayloadMap_isMalformed() throws Exception {
    byte[] definite = RawCbor.sortedTextMap(claims());
    byte[] indefinite = cat(new byte[] {(byte) 0xBF}, Arrays.copyOfRange(definite, 1, definite.length),
        new byte[] {(byte) 0xFF});
    refused(platform.sign(indefinite), Reason.MALFORMED)
        .hasMessageContaining("indefinite length").hasMessageContaining("payload");
  }

  @Test
  void indefiniteLengthNonce_isMalformed() throws Exception {
    LinkedHashMap<String, byte[]> claims = claims();
    claims.put("nonce", cat(new byte[] {0x5F}, bstr(new byte[] {1, 2}), new byte[] {(byte) 0xFF}));
    refused(platform.signClaims(claims), Reason.MALFORMED).hasMessageContaining("indefinite length");
  }

  @Test
  void indefiniteLengthOuterArray_isMalformed() throws Exception {
    byte[] good = platform.sign(RawCbor.sortedTextMap(claims()));
    byte[] bad = cat(new byte[] {(byte) 0xD2, (byte) 0x9F}, Arrays.copyOfRange(good, 2, good.length),
        new byte[] {(byte) 0xFF});
    refused(bad, Reason.MALFORMED).hasMessageContaining("indefinite length not allowed at offset 1");
  }

  @Test
  void nonShortestInteger_isMalformed() throws Exception {
    LinkedHashMap<String, byte[]> claims = claims();
    claims.put("svn", new byte[] {0x18, 0x07});
    refused(platform.signClaims(claims), Reason.MALFORMED).hasMessageContaining("shortest form");
  }

  @Test
  void floatingPointValue_isMalformed() throws Exception {
    LinkedHashMap<String, byte[]> claims = claims();
    claims.put("debug", new byte[] {(byte) 0xF9, 0, 0});
    refused(platform.signClaims(claims), Reason.MALFORMED).hasMessageContaining("floating-point");
  }

  @Test
  void tagInsidePayload_isMalformed() throws Exception {
    LinkedHashMap<String, byte[]> claims = claims();
    claims.put("issued-at", cat(new byte[] {(byte) 0xC1}, uint(Instant.now().getEpochSecond())));
    refused(platform.signClaims(claims), Reason.MALFORMED).hasMessageContaining("tag 1 not allowed");
  }

  @Test
  void invalidUtf8_isMalformed() throws Exception {
    LinkedHashMap<String, byte[]> claims = claims();
    claims.put("platform", new byte[] {0x62, (byte) 0xC3, 0x28});
    refused(platform.signClaims(claims), Reason.MALFORMED).hasMessageContaining("UTF-8");
  }

  @Test
  void tooDeeplyNested_isMalformed() throws Exception {
    byte[] deep = uint(1);
    for (int i = 0; i < 10; i++) {
      deep = array(deep);
    }
    LinkedHashMap<String, byte[]> claims = claims();
    claims.put("runtime", deep);
    refused(platform.signClaims(claims), Reason.MALFORMED).hasMessageContaining("nested deeper");
  }

  @Test
  void criticalHeader_isMalformed() throws Exception {
    byte[] header = map(List.of(
        new byte[][] {uint(1), nint(-35)},
        new byte[][] {uint(2), array(uint(99))},
        new byte[][] {uint(33), x5chain()}));
    refused(platform.sign(header, RawCbor.sortedTextMap(claims())), Reason.MALFORMED)
        .hasMessageContaining("critical header parameters (label 2)");
  }

  @Test
  void unknownProtectedHeaderLabel_isMalformed() throws Exception {
    byte[] header = map(List.of(
        new byte[][] {uint(1), nint(-35)},
        new byte[][] {uint(4), bstr(new byte[] {1})},
        new byte[][] {uint(33), x5chain()}));
    refused(platform.sign(header, RawCbor.sortedTextMap(claims())), Reason.MALFORMED)
        .hasMessageContaining("unknown protected header label 4");
  }

  @Test
  void algOtherThanEs384_isMalformed() throws Exception {
    byte[] header = map(List.of(
        new byte[][] {uint(1), nint(-7)}, new byte[][] {uint(33), x5chain()}));
    refused(platform.sign(header, RawCbor.sortedTextMap(claims())), Reason.MALFORMED)
        .hasMessageContaining("alg -7 is not ES384");
  }

  @Test
  void missingAlg_isMalformed() throws Exception {
    byte[] header = map(List.<byte[][]>of(new byte[][] {uint(33), x5chain()}));
    refused(platform.sign(header, RawCbor.sortedTextMap(claims())), Reason.MALFORMED)
        .hasMessageContaining("lacks alg");
  }

  @Test
  void missingX5chain_isMalformed() throws Exception {
    byte[] header = map(List.<byte[][]>of(new byte[][] {uint(1), nint(-35)}));
    refused(platform.sign(header, RawCbor.sortedTextMap(claims())), Reason.MALFORMED)
        .hasMessageContaining("lacks x5chain");
  }

  @Test
  void x5chainOfOneCertificate_isMalformed() throws Exception {
    byte[] header = map(List.of(new byte[][] {uint(1), nint(-35)},
        new byte[][] {uint(33), bstr(platform.leaf.getEncoded())}));
    refused(platform.sign(header, RawCbor.sortedTextMap(claims())), Reason.MALFORMED)
        .hasMessageContaining("x5chain must be an array of 2");
  }

  @Test
  void x5chainWithGarbageCertificate_isMalformed() throws Exception {
    byte[] header = map(List.of(new byte[][] {uint(1), nint(-35)},
        new byte[][] {uint(33), array(bstr(new byte[] {0x30, 0x03, 1, 2, 3}),
            bstr(platform.root.getEncoded()))}));
    refused(platform.sign(header, RawCbor.sortedTextMap(claims())), Reason.MALFORMED)
        .hasMessageContaining("x5chain[0]");
  }

  @Test
  void nonEmptyUnprotectedHeader_isMalformed() throws Exception {
    byte[] good = platform.sign(RawCbor.sortedTextMap(claims()));
    byte[] bad = replaceFirst(good, new byte[] {(byte) 0xA0},
        map(List.<byte[][]>of(new byte[][] {uint(4), bstr(new byte[] {1})})), protectedEnd(good));
    refused(bad, Reason.MALFORMED).hasMessageContaining("unprotected header");
  }

  @Test
  void otherTag_isMalformed() throws Exception {
    byte[] evidence = platform.sign(RawCbor.sortedTextMap(claims()));
    evidence[0] = (byte) 0xD1; // tag 17, COSE_Mac0
    refused(evidence, Reason.MALFORMED).hasMessageContaining("tag 17 at offset 0");
  }

  @Test
  void untagged_isMalformed() throws Exception {
    byte[] evidence = platform.sign(RawCbor.sortedTextMap(claims()));
    refused(Arrays.copyOfRange(evidence, 1, evidence.length), Reason.MALFORMED)
        .hasMessageContaining("expected COSE_Sign1 tag 18 at offset 0");
  }

  @Test
  void arrayOfThree_isMalformed() throws Exception {
    byte[] payload = RawCbor.sortedTextMap(claims());
    byte[] bad = cat(new byte[] {(byte) 0xD2}, array(bstr(platform.protectedHeader()),
        map(List.of()), bstr(payload)));
    refused(bad, Reason.MALFORMED).hasMessageContaining("array of 4");
  }

  @Test
  void signatureOfWrongLength_isMalformed() throws Exception {
    byte[] payload = RawCbor.sortedTextMap(claims());
    byte[] bad = cat(new byte[] {(byte) 0xD2}, array(bstr(platform.protectedHeader()),
        map(List.of()), bstr(payload), bstr(new byte[95])));
    refused(bad, Reason.MALFORMED).hasMessageContaining("95 bytes; ES384 needs 96");
  }

  @Test
  void payloadWithTrailingByteInsideItsByteString_isMalformed() throws Exception {
    byte[] payload = cat(RawCbor.sortedTextMap(claims()), new byte[] {0});
    refused(platform.sign(payload), Reason.MALFORMED)
        .hasMessageContaining("trailing byte(s) after the data item").hasMessageContaining("payload");
  }

  @Test
  void payloadNotAMap_isMalformed() throws Exception {
    refused(platform.sign(array(uint(1))), Reason.MALFORMED).hasMessageContaining("map of claims");
  }

  @ParameterizedTest
  @ValueSource(strings = {"profile", "platform", "security-level", "measurement", "signer",
      "product-id", "svn", "debug", "nonce", "report-data", "issued-at", "runtime"})
  void missingClaim_isMalformed(String claim) throws Exception {
    LinkedHashMap<String, byte[]> claims = claims();
    claims.remove(claim);
    refused(platform.signClaims(claims), Reason.MALFORMED)
        .hasMessageContaining("claim '" + claim + "' is missing");
  }

  @ParameterizedTest
  @ValueSource(strings = {"jdk-version", "backend-version"})
  void missingRuntimeFact_isMalformed(String fact) throws Exception {
    LinkedHashMap<String, byte[]> runtime = new LinkedHashMap<>(Map.of(
        "jdk-version", tstr("25"), "backend-version", tstr("0.1")));
    runtime.remove(fact);
    LinkedHashMap<String, byte[]> claims = claims();
    claims.put("runtime", RawCbor.sortedTextMap(runtime));
    refused(platform.signClaims(claims), Reason.MALFORMED)
        .hasMessageContaining("claim '" + fact + "' is missing").hasMessageContaining("runtime");
  }

  @Test
  void claimOfWrongType_isMalformed() throws Exception {
    LinkedHashMap<String, byte[]> claims = claims();
    claims.put("svn", tstr("7"));
    refused(platform.signClaims(claims), Reason.MALFORMED)
        .hasMessageContaining("claim 'svn' must be an unsigned integer");
  }

  @Test
  void negativeSvn_isMalformed() throws Exception {
    LinkedHashMap<String, byte[]> claims = claims();
    claims.put("svn", nint(-1));
    refused(platform.signClaims(claims), Reason.MALFORMED).hasMessageContaining("claim 'svn' must be 0 to 65535");
  }

  @Test
  void unknownClaim_isMalformed() throws Exception {
    LinkedHashMap<String, byte[]> claims = claims();
    claims.put("extra", uint(1));
    refused(platform.signClaims(claims), Reason.MALFORMED).hasMessageContaining("unknown claim 'extra'");
  }

  @Test
  void measurementOfWrongLength_isMalformed() throws Exception {
    LinkedHashMap<String, byte[]> claims = claims();
    claims.put("measurement", bstr(new byte[47]));
    refused(platform.signClaims(claims), Reason.MALFORMED)
        .hasMessageContaining("claim 'measurement' must have 48 bytes, got 47");
  }

  @Test
  void reportDataOver64Bytes_isMalformed() throws Exception {
    LinkedHashMap<String, byte[]> claims = claims();
    claims.put("report-data", bstr(new byte[65]));
    refused(platform.signClaims(claims), Reason.MALFORMED).hasMessageContaining("claim 'report-data'");
  }

  @Test
  void otherProfile_isUnsupportedFormat() throws Exception {
    LinkedHashMap<String, byte[]> claims = claims();
    claims.put("profile", tstr("tag:cella.dev,2026:evidence/v3"));
    refused(platform.signClaims(claims), Reason.UNSUPPORTED_FORMAT).hasMessageContaining("evidence/v3");
  }

  @Test
  void v2ProfileOutsideVm_isMalformed() throws Exception {
    LinkedHashMap<String, byte[]> claims = claims();
    claims.put("profile", tstr("tag:cella.dev,2026:evidence/v2"));
    refused(platform.signClaims(claims), Reason.MALFORMED).hasMessageContaining("v2 is the vm");
  }

  @Test
  void securityLevelContradictingPlatform_isMalformed() throws Exception {
    LinkedHashMap<String, byte[]> claims = claims();
    claims.put("security-level", tstr("vm-isolation"));
    refused(platform.signClaims(claims), Reason.MALFORMED).hasMessageContaining("contradicts platform process");
  }

  @Test
  void hardwarePlatformClaim_isMalformed() throws Exception {
    LinkedHashMap<String, byte[]> claims = claims();
    claims.put("platform", tstr("sgx"));
    claims.put("security-level", tstr("hardware"));
    refused(platform.signClaims(claims), Reason.MALFORMED).hasMessageContaining("not a Cella software platform");
  }

  @Test
  void imageMeasurementOutsideVm_isMalformed() throws Exception {
    LinkedHashMap<String, byte[]> claims = claims();
    claims.put("runtime", RawCbor.sortedTextMap(Map.of("jdk-version", tstr("25"),
        "backend-version", tstr("0.1"), "image-measurement", bstr(new byte[48]))));
    refused(platform.signClaims(claims), Reason.MALFORMED).hasMessageContaining("only the vm platform");
  }

  @Test
  void rootVouchingForAnotherPlatform_isUntrustedRoot() throws Exception {
    refused(platform.signClaims(Crafted.claims(PlatformKind.VM)), Reason.UNTRUSTED_ROOT)
        .hasMessageContaining("states platform vm but its root is the process platform's");
  }

  @Test
  void trustedRootThatIsNoCellaPlatformRoot_isUntrustedRoot() throws Exception {
    Instant now = Instant.now();
    KeyPair rootPair = CertificateIssuer.newKeyPair();
    X509Certificate foreign = CertificateIssuer.root(new X500Principal("CN=Some CA"), rootPair,
        now.minusSeconds(60), now.plus(Duration.ofDays(1)));
    KeyPair leafPair = CertificateIssuer.newKeyPair();
    X509Certificate leaf = CertificateIssuer.leaf(new X500Principal("CN=leaf"), leafPair.getPublic(),
        foreign, rootPair.getPrivate(), now.minusSeconds(60), now.plus(Duration.ofDays(1)));
    byte[] header = map(List.of(new byte[][] {uint(1), nint(-35)},
        new byte[][] {uint(33), array(bstr(leaf.getEncoded()), bstr(foreign.getEncoded()))}));
    byte[] payload = RawCbor.sortedTextMap(claims());
    byte[] evidence = cat(new byte[] {(byte) 0xD2}, array(bstr(header), map(List.of()), bstr(payload),
        bstr(Es384.sign(leafPair.getPrivate(), CoseSign1.sigStructure(header, payload)))));
    VerificationContext context = new VerificationContext(now, List.of(foreign), false, Optional.empty());
    assertThatThrownBy(() -> VERIFIER.verify(evidence, context))
        .isInstanceOfSatisfying(AttestationException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.UNTRUSTED_ROOT))
        .hasMessageContaining("not a Cella software platform root");
  }

  @Test
  void leafSignedByAnotherKeyUnderTheSameName_isBadSignature() throws Exception {
    Crafted impostor = new Crafted(PlatformKind.PROCESS); // same subject names, other keys
    byte[] header = map(List.of(new byte[][] {uint(1), nint(-35)},
        new byte[][] {uint(33), array(bstr(impostor.leaf.getEncoded()), bstr(platform.root.getEncoded()))}));
    byte[] payload = RawCbor.sortedTextMap(claims());
    byte[] evidence = cat(new byte[] {(byte) 0xD2}, array(bstr(header), map(List.of()), bstr(payload),
        bstr(Es384.sign(impostor.leafPair.getPrivate(), CoseSign1.sigStructure(header, payload)))));
    refused(evidence, Reason.BAD_SIGNATURE).hasMessageContaining("leaf certificate's signature");
  }

  @Test
  void oversizedEvidence_isMalformed() {
    byte[] huge = new byte[CoseSign1.MAX_LENGTH + 1];
    huge[0] = (byte) 0xD2;
    refused(huge, Reason.MALFORMED).hasMessageContaining("exceeds");
  }

  @Test
  void emptyEvidence_isMalformed() {
    refused(new byte[0], Reason.MALFORMED).hasMessageContaining("empty");
  }

  private static byte[] x5chain() throws GeneralSecurityException {
    return array(bstr(platform.leaf.getEncoded()), bstr(platform.root.getEncoded()));
  }

  private static List<byte[][]> sortedEntries(Map<String, byte[]> claims) {
    List<byte[][]> entries = new ArrayList<>();
    claims.forEach((k, v) -> entries.add(new byte[][] {tstr(k), v}));
    entries.sort((a, b) -> Arrays.compareUnsigned(a[0], b[0]));
    return entries;
  }

  /** Offset just after the protected header's byte string. */
  private static int protectedEnd(byte[] evidence) throws AttestationException {
    CborScanner.Head head = CborScanner.head(evidence, 2, evidence.length, "test");
    return head.contentOffset() + (int) head.argument();
  }

  private static byte[] replaceFirst(byte[] in, byte[] what, byte[] with, int at) {
    assertThat(Arrays.copyOfRange(in, at, at + what.length)).isEqualTo(what);
    return cat(Arrays.copyOf(in, at), with, Arrays.copyOfRange(in, at + what.length, in.length));
  }
}
