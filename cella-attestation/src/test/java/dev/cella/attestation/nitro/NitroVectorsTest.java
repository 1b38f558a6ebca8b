package dev.cella.attestation.nitro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.Bytes;
import dev.cella.PlatformKind;
import dev.cella.attestation.AttestationException;
import dev.cella.attestation.AttestationException.Reason;
import dev.cella.attestation.ClaimNames;
import dev.cella.attestation.TcbStatus;
import dev.cella.attestation.VerifiedEnclave;
import dev.cella.attestation.hardware.internal.Certificates;
import dev.cella.attestation.hardware.internal.Digests;
import dev.cella.attestation.hardware.internal.Vectors;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every Nitro case of the shared vectors, at its sidecar's time and at today's time. */
class NitroVectorsTest {
  private static final String ZERO48 = "00".repeat(48);
  private final NitroVerifier verifier = new NitroVerifier();

  /** One file of one case and what its sidecar says it proves. */
  record Case(String name, String file, String at, String pcr0, String moduleId, boolean debug,
      String userData, long timestampMs) {
    @Override
    public String toString() {
      return name + "/" + file;
    }
  }

  static Stream<Case> cases() {
    String ones = "01".repeat(1024);
    String blockyPcr0 = "e72a46ca80a260fb044a125442f0c7e331813bcbaf9724d9f3857758992766f2"
        + "d65710a27aa94ae3949dd54e7c9fe86a";
    String nsmPcr0 = "5cb702954321826d7939d6da829a940d787fcf32357beb8eae1ddf33c28c17d3"
        + "6f3ac3ba6828fdf7edeed02889702da6";
    String spki = "3059301306072a8648ce3d020106082a8648ce3d030107034200042afc52fe36bd5f190b5c"
        + "90a7ef3349716dcbc4aa003dde71114b11d2faa6648e0713c527439746a8d23dab9e1b999e847762ef38"
        + "5bb5cf27295323b9908b2acb";
    return Stream.of(
        new Case("nitro-blocky-2024-09-07", "attestation_doc.cose", "2024-09-07T14:37:39.545Z",
            blockyPcr0, "i-0a22e5c5f24d22174-enc0191cceb4289903f", false, ones, 1725719859545L),
        new Case("nitro-blocky-2024-09-07", "attestation_doc.b64", "2024-09-07T14:37:39.545Z",
            blockyPcr0, "i-0a22e5c5f24d22174-enc0191cceb4289903f", false, ones, 1725719859545L),
        new Case("nitro-blocky-debug-2024-09-07", "attestation_doc.cose",
            "2024-09-07T14:38:06.508Z", ZERO48, "i-0a22e5c5f24d22174-enc0191ccebaf8feaba", true,
            ones, 1725719886508L),
        new Case("nitro-blocky-debug-2024-09-07", "attestation_doc.b64",
            "2024-09-07T14:38:06.508Z", ZERO48, "i-0a22e5c5f24d22174-enc0191ccebaf8feaba", true,
            ones, 1725719886508L),
        new Case("nitro-dstack-attest-debug-2025-12-25", "attestation.framed.bin",
            "2025-12-25T08:20:46.577Z", ZERO48, "i-0fd3fdaad4e904e69-enc019b54988b2d89ba", true,
            "00".repeat(64), 1766650846577L),
        new Case("nitro-dstack-attest-debug-2025-12-25", "attestation_doc.cose",
            "2025-12-25T08:20:46.577Z", ZERO48, "i-0fd3fdaad4e904e69-enc019b54988b2d89ba", true,
            "00".repeat(64), 1766650846577L),
        new Case("nitro-dstack-nsmqvl-2025-12-25", "attestation.framed.bin",
            "2025-12-25T13:15:37.578Z", nsmPcr0, "i-0827e799ec9232d44-enc019b55a68bd2ed4b", false,
            "00".repeat(64), 1766668537578L),
        new Case("nitro-dstack-nsmqvl-2025-12-25", "attestation_doc.cose",
            "2025-12-25T13:15:37.578Z", nsmPcr0, "i-0827e799ec9232d44-enc019b55a68bd2ed4b", false,
            "00".repeat(64), 1766668537578L),
        new Case("nitro-evervault-2023-09-18-userdata-spki", "attestation_doc.cose",
            "2023-09-18T15:03:30.860Z", ZERO48, "i-0918f6c55e3b61d89-enc018aa8b8e2285d13", true,
            spki, 1695049410860L),
        new Case("nitro-evervault-2023-09-18-userdata-spki", "attestation_doc.b64",
            "2023-09-18T15:03:30.860Z", ZERO48, "i-0918f6c55e3b61d89-enc018aa8b8e2285d13", true,
            spki, 1695049410860L),
        new Case("nitro-evervault-debug-2022-10-12", "attestation_doc.cose",
            "2022-10-12T13:50:06.081Z", ZERO48, "i-03ad7cdb817437eeb-enc0183cc7569b3f6e1", true,
            "68656c6c6f2c20776f726c6421", 1665582606081L));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void verify_atSidecarTime_returnsTheDocumentsClaims(Case c) throws Exception {
    byte[] doc = Vectors.read("nitro", c.name(), c.file());
    assertThat(verifier.recognizes(doc)).isTrue();

    VerifiedEnclave e = verifier.verify(doc, Vectors.at(c.at()));

    assertThat(e.platform()).isEqualTo(PlatformKind.NITRO);
    assertThat(e.measurement().hex()).isEqualTo(c.pcr0());
    assertThat(e.claims()).containsEntry(ClaimNames.pcr(0), c.pcr0())
        .containsEntry(ClaimNames.MODULE_ID, c.moduleId())
        .containsEntry(ClaimNames.USER_DATA, c.userData());
    assertThat(e.claims().keySet().stream().filter(k -> k.startsWith("pcr"))).hasSize(16);
    assertThat(e.debug()).isEqualTo(c.debug());
    assertThat(e.reportData().hex()).isEqualTo(c.userData());
    assertThat(e.issuedAt()).contains(Instant.ofEpochMilli(c.timestampMs()));
    assertThat(e.tcb().orElseThrow().status()).isEqualTo(TcbStatus.UP_TO_DATE);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void verify_today_failsAsExpired(Case c) {
    byte[] doc = Vectors.read("nitro", c.name(), c.file());

    assertThatThrownBy(() -> verifier.verify(doc, Vectors.at(Vectors.TODAY.toString())))
        .isInstanceOfSatisfying(AttestationException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.EXPIRED))
        .hasMessageContaining("has expired")
        .hasMessageContaining("verification time 2026-12-03T00:00:00Z");
  }

  @Test
  void verify_blocky_reportsNonceAndPublicKey() throws Exception {
    VerifiedEnclave e = verifier.verify(
        Vectors.read("nitro", "nitro-blocky-2024-09-07", "attestation_doc.cose"),
        Vectors.at("2024-09-07T14:37:39.545Z"));

    byte[] ones = new byte[1024];
    Arrays.fill(ones, (byte) 1);
    assertThat(e.nonce()).contains(Bytes.of(ones));
    assertThat(e.claims()).containsEntry(ClaimNames.PUBLIC_KEY, Bytes.of(ones).hex());
  }

  @Test
  void verify_evervaultGa_userDataIsTheTlsCertificatesKey() throws Exception {
    String name = "nitro-evervault-2023-09-18-userdata-spki";
    VerifiedEnclave e = verifier.verify(Vectors.read("nitro", name, "attestation_doc.cose"),
        Vectors.at("2023-09-18T15:03:30.860Z"));
    X509Certificate tls = Vectors.certificates("nitro", name, "tls_cert.der").get(0);

    assertThat(e.reportData()).isEqualTo(Bytes.of(tls.getPublicKey().getEncoded()));
    assertThat(Digests.sha256Hex(e.nonce().orElseThrow().toByteArray()))
        .isEqualTo("5d8d2ae4345827f27a11c125eb8f91dfe7aef45c2c35afb1dba0b51df0159501");
    assertThat(e.claims()).doesNotContainKey(ClaimNames.PUBLIC_KEY);
  }

  @Test
  void verify_dstackFramed_givesTheSameClaimsAsTheExtractedDocument() throws Exception {
    String name = "nitro-dstack-nsmqvl-2025-12-25";
    var at = Vectors.at("2025-12-25T13:15:37.578Z");

    assertThat(verifier.verify(Vectors.read("nitro", name, "attestation.framed.bin"), at))
        .isEqualTo(verifier.verify(Vectors.read("nitro", name, "attestation_doc.cose"), at));
  }

  @Test
  void verify_selfSignedNegative_isRefusedForItsNullCabundle() {
    byte[] doc = Vectors.read("nitro", "nitro-blocky-selfsigned-negative", "attestation_doc.cose");
    assertThat(verifier.recognizes(doc)).isTrue();

    assertThatThrownBy(() -> verifier.verify(doc, Vectors.at("2024-04-17T19:00:00Z")))
        .isInstanceOfSatisfying(AttestationException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
        .hasMessageContaining("offset 2233")
        .hasMessageContaining("expected an array");
  }

  @Test
  void verify_selfSignedNegative_evenWithItsCertificateAsTheOnlyRoot_isRefused() {
    String name = "nitro-blocky-selfsigned-negative";
    X509Certificate self = Vectors.certificates("nitro", name, "selfsigned_cert.der").get(0);

    assertThatThrownBy(() -> verifier.verify(Vectors.read("nitro", name, "attestation_doc.b64"),
        Vectors.onlyRoots("2024-04-17T19:00:00Z", Optional.empty(), self)))
        .isInstanceOfSatisfying(AttestationException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
  }

  @Test
  void verify_withOnlyAnotherRoot_refusesRealDocuments() {
    X509Certificate other = Vectors.certificates("sgx", "roots", "intel_sgx_root_ca.pem").get(0);

    assertThatThrownBy(() -> verifier.verify(
        Vectors.read("nitro", "nitro-blocky-2024-09-07", "attestation_doc.cose"),
        Vectors.onlyRoots("2024-09-07T14:37:39.545Z", Optional.empty(), other)))
        .isInstanceOfSatisfying(AttestationException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.UNTRUSTED_ROOT))
        .hasMessageContaining("cabundle[0]");
  }

  @Test
  void verify_beforeTheDocumentWasMade_failsAsExpiredLeaf() {
    assertThatThrownBy(() -> verifier.verify(
        Vectors.read("nitro", "nitro-blocky-2024-09-07", "attestation_doc.cose"),
        Vectors.at("2024-09-07T14:00:00Z")))
        .isInstanceOfSatisfying(AttestationException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.EXPIRED))
        .hasMessageContaining("signing certificate")
        .hasMessageContaining("is not yet valid");
  }

  @Test
  void pinnedRoot_isTheAwsRootByKey() throws Exception {
    X509Certificate aws = Vectors.certificates("nitro", "roots", "AWS_NitroEnclaves_Root-G1.pem")
        .get(0);
    assertThat(Certificates.spkiSha256(aws)).isEqualTo(NitroVerifier.AWS_ROOT_G1_KEY_SHA256);
  }
}
