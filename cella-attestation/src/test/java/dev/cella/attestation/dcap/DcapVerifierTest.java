package dev.cella.attestation.dcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.attestation.AttestationException;
import dev.cella.attestation.AttestationException.Reason;
import dev.cella.attestation.TcbStatus;
import dev.cella.attestation.VerificationContext;
import dev.cella.attestation.VerifiedEnclave;
import dev.cella.attestation.dcap.internal.Quote;
import dev.cella.attestation.hardware.internal.SignatureChecks;
import dev.cella.attestation.hardware.internal.Vectors;
import dev.cella.attestation.sgx.SgxDcapVerifier;
import dev.cella.attestation.tdx.TdxVerifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Collateral by content, exact signed bytes, binding, caching: on the real vectors. */
class DcapVerifierTest {
  private static final String SGX = "sgx-v3-phala-dcapqvl-2025-06";
  private static final String SGX_AT = "2025-07-19T10:01:17Z";
  private static final String TDX_AUTOMATA = "tdx-v4-automata-00806f050000-2025-07";
  private static final String TDX_AT = "2025-07-20T00:00:00Z";
  private final SgxDcapVerifier sgx = new SgxDcapVerifier();
  private final TdxVerifier tdx = new TdxVerifier();

  private static void assertRefused(ThrowingCallable call, Reason reason, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(AttestationException.class,
            e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageContaining(message);
  }

  private static Path copyCase(String kind, String name, Path dir) throws Exception {
    try (var files = Files.list(Vectors.dir(kind, name))) {
      int i = 0;
      for (Path f : files.toList()) {
        // names carry no meaning: collateral is recognized by content
        Files.copy(f, dir.resolve("file" + i++));
      }
    }
    return dir;
  }

  @Test
  void collateral_underMeaninglessNames_isRecognizedByContent(@TempDir Path dir)
      throws Exception {
    copyCase("tdx", TDX_AUTOMATA, dir);
    byte[] quote = Vectors.read("tdx", TDX_AUTOMATA, "quote.bin");

    VerifiedEnclave e = tdx.verify(quote, Vectors.at(TDX_AT, dir));

    assertThat(e.tcb().orElseThrow().status()).isEqualTo(TcbStatus.OUT_OF_DATE);
  }

  @Test
  void tcbInfo_reserialisedWithOtherWhiteSpace_failsItsSignature(@TempDir Path dir)
      throws Exception {
    copyCase("tdx", TDX_AUTOMATA, dir);
    Path tcb = dir.resolve("tcb_info.json");
    String body = Files.readString(Vectors.dir("tdx", TDX_AUTOMATA).resolve("tcb_info.json"));
    // the same JSON value, one space added inside the signed object
    String spaced = body.replaceFirst("\\{\"id\":", "{ \"id\":");
    assertThat(spaced).isNotEqualTo(body);
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        if (Files.readString(f, StandardCharsets.ISO_8859_1).equals(body)) {
          Files.delete(f);
        }
      }
    }
    Files.writeString(tcb, spaced);
    byte[] quote = Vectors.read("tdx", TDX_AUTOMATA, "quote.bin");

    assertRefused(() -> tdx.verify(quote, Vectors.at(TDX_AT, dir)), Reason.BAD_SIGNATURE,
        "the signature of the TCB info (file tcb_info.json) does not verify");
  }

  @Test
  void whiteSpaceOutsideTheSignedObject_changesNothing(@TempDir Path dir) throws Exception {
    copyCase("tdx", TDX_AUTOMATA, dir);
    String body = Files.readString(Vectors.dir("tdx", TDX_AUTOMATA).resolve("tcb_info.json"));
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        if (Files.readString(f, StandardCharsets.ISO_8859_1).equals(body)) {
          Files.writeString(f, "\n  " + body.replace(",\"signature\"", " ,\n \"signature\"")
              + "\n");
        }
      }
    }
    byte[] quote = Vectors.read("tdx", TDX_AUTOMATA, "quote.bin");

    assertThat(tdx.verify(quote, Vectors.at(TDX_AT, dir)))
        .isEqualTo(tdx.verify(quote, Vectors.at(TDX_AT, Vectors.dir("tdx", TDX_AUTOMATA))));
  }

  @Test
  void qeAuthenticationDataChanged_breaksTheBindingOfTheAttestationKey() throws Exception {
    byte[] quote = Vectors.read("sgx", SGX, "quote.bin");
    Quote parsed = Quote.parse(quote);
    // signature data: sig 64, key 64, QE report 384, QE signature 64, auth size 2, auth data
    int auth = parsed.signedLength() + 4 + 64 + 64 + 384 + 64 + 2;
    quote[auth] ^= 0x01;

    assertRefused(() -> sgx.verify(quote, Vectors.at(SGX_AT, Vectors.dir("sgx", SGX))),
        Reason.BINDING_MISMATCH, "is not SHA-256(attestation key || QE authentication data)");
  }

  @Test
  void warmVerification_checksOnlyTheQuoteSignature() throws Exception {
    byte[] quote = Vectors.read("sgx", SGX, "quote.bin");
    VerificationContext ctx = Vectors.at(SGX_AT, Vectors.dir("sgx", SGX));
    SignatureChecks.forgetAll();
    long before = SignatureChecks.performed();
    VerifiedEnclave cold = sgx.verify(quote, ctx);
    long coldChecks = SignatureChecks.performed() - before;

    before = SignatureChecks.performed();
    VerifiedEnclave warm = sgx.verify(quote, ctx);
    long warmChecks = SignatureChecks.performed() - before;

    assertThat(warm).isEqualTo(cold);
    assertThat(warmChecks).isEqualTo(1);
    assertThat(coldChecks).isBetween(9L, 12L);
  }

  @Test
  void pckPlatformCaCrlMissing_isMissingCollateral(@TempDir Path dir) throws Exception {
    String occlum = "sgx-v3-occlum-trustee-tcbinfo-v2-2025-06";
    for (String f : List.of("qe_identity.json", "tcb_info_v2.json", "tcb_signing.der",
        "supplemented_root_ca_crl.der")) {
      Files.copy(Vectors.dir("sgx", occlum).resolve(f), dir.resolve(f));
    }
    byte[] quote = Vectors.read("sgx", occlum, "quote.dat");

    assertRefused(() -> sgx.verify(quote, Vectors.at("2025-06-25T00:00:00Z", dir)),
        Reason.MISSING_COLLATERAL, "CN=Intel SGX PCK Platform CA' among the collateral, needed "
            + "to check 'C=US,ST=CA,L=Santa Clara,O=Intel Corporation,CN=Intel SGX PCK Certificate'");
  }

  @Test
  void pckCrlOutsideItsWindow_isExpired() {
    // the Platform CA CRL of the supplemented Occlum case starts 2025-06-19T10:00:35Z
    String occlum = "sgx-v3-occlum-trustee-tcbinfo-v2-2025-06";
    byte[] quote = Vectors.read("sgx", occlum, "quote.dat");

    assertRefused(() -> sgx.verify(quote, Vectors.at("2025-06-10T00:00:00Z",
        Vectors.dir("sgx", occlum))), Reason.EXPIRED, "CRL of 'C=US,ST=CA,L=Santa Clara,"
            + "O=Intel Corporation,CN=Intel SGX PCK Platform CA' is not yet valid");
  }

  @Test
  void ppidQuoteWithoutItsPckCertificate_isMissingCollateral(@TempDir Path dir)
      throws Exception {
    String qvl = "sgx-v3-intel-qvl-sample-testroot";
    copyCase("sgx", qvl, dir);
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        if (Files.mismatch(f, Vectors.dir("sgx", qvl).resolve("pckCert.pem")) == -1) {
          Files.delete(f);
        }
      }
    }
    X509Certificate testRoot = Vectors.certificates("sgx", qvl, "trustedRootCaCert.pem").get(0);
    byte[] quote = Vectors.read("sgx", qvl, "quote.dat");

    assertRefused(() -> sgx.verify(quote, Vectors.onlyRoots("2025-01-01T00:00:00Z",
        Optional.of(dir), testRoot)), Reason.MISSING_COLLATERAL,
        "carries no PCK certificate (certification data type 1)");
  }

  @Test
  void truncatedQuote_isMalformedAtAnOffset() {
    byte[] quote = Vectors.read("sgx", SGX, "quote.bin");
    byte[] cut = java.util.Arrays.copyOf(quote, 500);

    assertRefused(() -> sgx.verify(cut, VerificationContext.now()), Reason.MALFORMED,
        "malformed at offset 436 (0x1b4): truncated: signature data needs");
  }

  @Test
  void unknownQuoteVersion_isUnsupported() {
    byte[] quote = Vectors.read("sgx", SGX, "quote.bin");
    quote[0] = 9;

    assertThat(sgx.recognizes(quote)).isFalse();
    assertRefused(() -> sgx.verify(quote, VerificationContext.now()),
        Reason.UNSUPPORTED_FORMAT, "version 9");
  }
}
