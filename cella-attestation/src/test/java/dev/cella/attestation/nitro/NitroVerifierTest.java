package dev.cella.attestation.nitro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.attestation.AttestationException;
import dev.cella.attestation.AttestationException.Reason;
import dev.cella.attestation.VerificationContext;
import dev.cella.attestation.VerifiedEnclave;
import dev.cella.attestation.hardware.internal.TestPki;
import dev.cella.attestation.hardware.internal.TestPki.Issued;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Chain, signature and parsing rules, on documents made by test keys. */
class NitroVerifierTest {
  private static final String AWS_ROOT_NAME = "CN=aws.nitro-enclaves,OU=AWS,O=Amazon,C=US";
  private static final Instant T0 = Instant.parse("2026-01-10T10:00:00Z");
  private static final Instant AT = T0.plus(Duration.ofMinutes(1));

  private final NitroVerifier verifier = new NitroVerifier();
  // A root with the AWS root's name but another key: never trusted unless a context adds it.
  private final Issued fakeRoot = TestPki.root(AWS_ROOT_NAME, "secp384r1", T0.minusSeconds(9999),
      T0.plus(Duration.ofDays(3650)));
  private final Issued intermediate = TestPki.issue(fakeRoot, "CN=zonal.test", "secp384r1",
      T0.minusSeconds(3600), T0.plus(Duration.ofDays(3)), true);
  private final Issued leaf = TestPki.issue(intermediate, "CN=i-test-enc0", "secp384r1",
      T0.minusSeconds(3), T0.plus(Duration.ofHours(3)), false);

  private TestNitroDocument document() {
    return new TestNitroDocument(List.of(fakeRoot.cert(), intermediate.cert()), leaf,
        T0.toEpochMilli());
  }

  private VerificationContext trustingFakeRoot() {
    return new VerificationContext(AT, List.of(fakeRoot.cert()), false, Optional.empty());
  }

  private static void assertRefused(ThrowingCallable call, Reason reason, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(AttestationException.class,
            e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageContaining(message);
  }

  @Test
  void verify_rootWithAwsNameButOtherKey_isRefusedAsUntrusted() {
    byte[] doc = document().build();

    assertRefused(() -> verifier.verify(doc, new VerificationContext(AT, List.of(), false,
        Optional.empty())), Reason.UNTRUSTED_ROOT, "is not a trusted root");
  }

  @Test
  void verify_rootAddedByTheContext_isAccepted() throws Exception {
    TestNitroDocument d = document();
    d.userData = new byte[] {1, 2, 3};
    d.nonce = new byte[] {9};

    VerifiedEnclave e = verifier.verify(d.build(), trustingFakeRoot());

    assertThat(e.measurement().hex()).isEqualTo("11".repeat(48));
    assertThat(e.debug()).isFalse();
    assertThat(e.reportData().hex()).isEqualTo("010203");
    assertThat(e.nonce().orElseThrow().hex()).isEqualTo("09");
    assertThat(e.claims()).doesNotContainKey("public-key");
  }

  @Test
  void verify_pcr0AllZero_isDebug() throws Exception {
    TestNitroDocument d = document();
    d.pcrs.put(0, new byte[48]);

    assertThat(verifier.verify(d.build(), trustingFakeRoot()).debug()).isTrue();
  }

  @Test
  void verify_cabundleOutOfOrder_isABrokenChain() {
    TestNitroDocument d = document();
    d.cabundle = List.of(fakeRoot.cert(), leaf.cert(), intermediate.cert());

    assertRefused(() -> verifier.verify(d.build(), trustingFakeRoot()), Reason.BROKEN_CHAIN,
        "names issuer");
  }

  @Test
  void verify_intermediateWithRightNameButSignedByAnotherKey_isABadSignature() {
    Issued impostor = TestPki.root(AWS_ROOT_NAME, "secp384r1", T0.minusSeconds(9999),
        T0.plus(Duration.ofDays(30)));
    Issued forged = TestPki.issue(impostor, "CN=zonal.test", "secp384r1", T0.minusSeconds(3600),
        T0.plus(Duration.ofDays(3)), true);
    Issued forgedLeaf = TestPki.issue(forged, "CN=i-test-enc0", "secp384r1", T0.minusSeconds(3),
        T0.plus(Duration.ofHours(3)), false);
    TestNitroDocument d = new TestNitroDocument(List.of(fakeRoot.cert(), forged.cert()),
        forgedLeaf, T0.toEpochMilli());

    assertRefused(() -> verifier.verify(d.build(), trustingFakeRoot()), Reason.BAD_SIGNATURE,
        "cabundle[1]");
  }

  @Test
  void verify_nonCaIssuer_isABrokenChain() {
    Issued notCa = TestPki.issue(fakeRoot, "CN=zonal.test", "secp384r1", T0.minusSeconds(3600),
        T0.plus(Duration.ofDays(3)), false);
    Issued below = TestPki.issue(notCa, "CN=i-test-enc0", "secp384r1", T0.minusSeconds(3),
        T0.plus(Duration.ofHours(3)), false);
    TestNitroDocument d = new TestNitroDocument(List.of(fakeRoot.cert(), notCa.cert()), below,
        T0.toEpochMilli());

    assertRefused(() -> verifier.verify(d.build(), trustingFakeRoot()), Reason.BROKEN_CHAIN,
        "is not a CA");
  }

  @Test
  void verify_signatureByAnotherKey_isABadSignature() {
    TestNitroDocument d = document();
    Issued other = TestPki.issue(intermediate, "CN=i-test-enc0", "secp384r1",
        T0.minusSeconds(3), T0.plus(Duration.ofHours(3)), false);
    d.leaf = new Issued(leaf.cert(), other.key());

    assertRefused(() -> verifier.verify(d.build(), trustingFakeRoot()), Reason.BAD_SIGNATURE,
        "COSE_Sign1 ES384 signature does not verify");
  }

  @Test
  void verify_algorithmOtherThanEs384_isUnsupported() {
    TestNitroDocument d = document();
    d.algorithm = -7;
    byte[] doc = d.build();

    assertThat(verifier.recognizes(doc)).isFalse();
    // the prefix check is only recognition: verification names the algorithm
    assertRefused(() -> verifier.verify(doc, trustingFakeRoot()), Reason.MALFORMED,
        "offset 0");
  }

  @Test
  void verify_duplicateKey_isMalformedAtItsOffset() {
    TestNitroDocument d = document();
    d.duplicateModuleId = true;

    assertRefused(() -> verifier.verify(d.build(), trustingFakeRoot()), Reason.MALFORMED,
        "duplicate key 'module_id'");
  }

  @Test
  void verify_digestOtherThanSha384_isMalformed() {
    TestNitroDocument d = document();
    d.digest = "SHA256";

    assertRefused(() -> verifier.verify(d.build(), trustingFakeRoot()), Reason.MALFORMED,
        "documents use SHA384");
  }

  @Test
  void verify_missingPcr0_isMalformed() {
    TestNitroDocument d = document();
    d.pcrs.remove(0);

    assertRefused(() -> verifier.verify(d.build(), trustingFakeRoot()), Reason.MALFORMED,
        "no PCR0");
  }

  @Test
  void verify_timestampInSeconds_isMalformedAndSaysSo() {
    TestNitroDocument d = document();
    d.timestamp = T0.getEpochSecond();

    assertRefused(() -> verifier.verify(d.build(), trustingFakeRoot()), Reason.MALFORMED,
        "looks like seconds");
  }

  @Test
  void verify_documentFromTheFuture_isNotYetValid() {
    TestNitroDocument d = document();
    d.timestamp = T0.plus(Duration.ofHours(2)).toEpochMilli();

    assertRefused(() -> verifier.verify(d.build(), trustingFakeRoot()), Reason.NOT_YET_VALID,
        "after the verification time");
  }

  @Test
  void verify_truncated_isMalformedWithAnOffset() {
    byte[] doc = document().build();
    byte[] cut = Arrays.copyOf(doc, doc.length - 10);

    assertRefused(() -> verifier.verify(cut, trustingFakeRoot()), Reason.MALFORMED,
        "truncated");
  }

  @Test
  void verify_bytesAfterAnUnframedDocument_areRefused() {
    byte[] doc = document().build();
    byte[] longer = Arrays.copyOf(doc, doc.length + 1);

    assertRefused(() -> verifier.verify(longer, trustingFakeRoot()), Reason.MALFORMED,
        "1 bytes follow the COSE_Sign1");
  }

  @Test
  void verify_expiredIntermediate_namesItsWindow() {
    VerificationContext later = new VerificationContext(T0.plus(Duration.ofDays(4)),
        List.of(fakeRoot.cert()), false, Optional.empty());
    TestNitroDocument d = document();
    // a leaf that lives long enough, so the intermediate is the first to expire
    d.leaf = TestPki.issue(intermediate, "CN=i-test-enc0", "secp384r1", T0.minusSeconds(3),
        T0.plus(Duration.ofDays(9)), false);

    assertRefused(() -> verifier.verify(d.build(), later), Reason.EXPIRED,
        "cabundle[1] certificate 'CN=zonal.test' has expired: valid ");
  }

  @Test
  void recognizes_otherCoseEvidence_isFalse() {
    // a COSE_Sign1 whose protected header carries more than the algorithm (as Cella's does)
    byte[] prot = new TestCbor().map(2).uint(1).head(1, 34).uint(33).bytes(new byte[3]).encode();
    byte[] other = new TestCbor().array(4).bytes(prot).map(0).bytes(new byte[4])
        .bytes(new byte[96]).encode();

    assertThat(verifier.recognizes(other)).isFalse();
    assertThat(verifier.recognizes(new byte[] {3, 0, 2, 0})).isFalse();
  }

  @Test
  void verify_trustedRootReplacedByNothing_refusesEverything() {
    X509Certificate[] none = {};
    VerificationContext nothing = new VerificationContext(AT, List.of(none), true,
        Optional.empty());

    assertRefused(() -> verifier.verify(document().build(), nothing), Reason.UNTRUSTED_ROOT,
        "cabundle[0]");
  }
}
