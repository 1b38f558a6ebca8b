package dev.cella.bundle;

import dev.cella.testkit.AllocationBudget;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.cella.bundle.internal.SignatureFile;
import java.io.IOException;
import java.io.InputStream;
import java.security.InvalidKeyException;
import org.junit.jupiter.api.Test;

/**
 * Fuzz targets for everything that reads a bundle or a key file: whatever the bytes, each reader
 * returns a checked value or throws its documented exception ({@link InvalidBundleException} for
 * bundles, manifests and signature files, {@link InvalidKeyException} for PEM keys), nothing else;
 * what it accepts survives a round trip. Allocation is bounded by what deflate can expand the
 * input to (1032:1), never by a size the archive merely claims. Corpus: {@code
 * BundleReadersFuzzTestInputs/<method>/}; fuzzing: docs/fuzzing.md.
 */
class BundleReadersFuzzTest {
  /**
   * What reading a bundle may allocate per input byte: deflate expands at most 1032-fold, the
   * reader's buffer doubles as it fills (up to twice that), and the target reads each bundle twice.
   */
  private static final long PER_INPUT_BYTE = 2 * 2 * 1032;

  /** The committed seeds are still accepted: the corpus starts from inputs that pass every check. */
  @Test
  void validSeeds_areAccepted() throws Exception {
    String bundle = "bundle_anyBytes_isReadOrInvalidBundleException";
    assertThat(Bundle.read(input(bundle, "seed-signed")).manifest().name()).isEqualTo("x");
    assertThat(Bundle.read(input(bundle, "seed-signed-deflated")).measurement())
        .isEqualTo(Bundle.read(input(bundle, "seed-signed")).measurement());
    assertThat(UnsignedBundle.read(input(bundle, "seed-unsigned")).hadSignature()).isFalse();
    String manifest = "manifest_anyJson_parsesCanonicallyOrInvalidBundleException";
    assertThat(Manifest.fromJson(input(manifest, "seed-full")).hostAccess().isNone()).isFalse();
    assertThat(Manifest.fromJson(input(manifest, "seed-minimal")).name()).isEqualTo("x");
    SignatureFile.read(input("signatureFile_anyJson_parsesOrInvalidBundleException", "seed-valid"));
    String signer = "signerKeyPem_anyText_isAP384KeyOrInvalidKeyException";
    assertThat(SignerKeys.parsePublicKeyPem(input(signer, "seed-certificate"), "certificate"))
        .isEqualTo(SignerKeys.parsePublicKeyPem(input(signer, "seed-public-key"), "public key"));
    BundleSigningKey.fromPem(
        input("signingKeyPem_anyText_isAKeyPairOrInvalidKeyException", "seed-pkcs8"), "key").close();
  }

  private static byte[] input(String method, String name) throws IOException {
    try (InputStream in = BundleReadersFuzzTest.class.getResourceAsStream(
        "BundleReadersFuzzTestInputs/" + method + "/" + name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }

  @FuzzTest
  void bundle_anyBytes_isReadOrInvalidBundleException(byte[] bytes) throws Exception {
    AllocationBudget.check(AllocationBudget.ALLOWANCE + PER_INPUT_BYTE * bytes.length,
        () -> readBundle(bytes));
  }

  private static void readBundle(byte[] bytes) throws Exception {
    UnsignedBundle unsigned;
    try {
      unsigned = UnsignedBundle.read(bytes);
    } catch (InvalidBundleException refused) {
      try {
        Bundle.read(bytes);
      } catch (InvalidBundleException alsoRefused) {
        return;
      }
      throw new AssertionError("Bundle.read accepts what UnsignedBundle.read refuses");
    }
    UnsignedBundle rewritten = UnsignedBundle.read(unsigned.toBytes());
    assertThat(rewritten.measurement()).isEqualTo(unsigned.measurement());
    assertThat(rewritten.manifest()).isEqualTo(unsigned.manifest());
    assertThat(rewritten.hadSignature()).isFalse();
    Bundle verified;
    try {
      verified = Bundle.read(bytes);
    } catch (InvalidBundleException refused) {
      return;
    }
    assertThat(unsigned.hadSignature()).isTrue();
    assertThat(verified.measurement()).isEqualTo(unsigned.measurement());
    assertThat(verified.manifest()).isEqualTo(unsigned.manifest());
    assertThat(verified.signingPayload()).isEqualTo(unsigned.signingPayload());
  }

  @FuzzTest
  void manifest_anyJson_parsesCanonicallyOrInvalidBundleException(byte[] json) throws Exception {
    AllocationBudget.check(AllocationBudget.ALLOWANCE + 64L * json.length, () -> {
      Manifest manifest;
      try {
        manifest = Manifest.fromJson(json);
      } catch (InvalidBundleException refused) {
        return;
      }
      byte[] canonical = manifest.toJson();
      Manifest again = Manifest.fromJson(canonical);
      assertThat(again).isEqualTo(manifest);
      assertThat(again.toJson()).isEqualTo(canonical);
    });
  }

  @FuzzTest
  void signatureFile_anyJson_parsesOrInvalidBundleException(byte[] json) throws Exception {
    AllocationBudget.check(AllocationBudget.ALLOWANCE + 64L * json.length, () -> {
      SignatureFile file;
      try {
        file = SignatureFile.read(json);
      } catch (InvalidBundleException refused) {
        return;
      }
      SignatureFile again = SignatureFile.read(file.toJson());
      assertThat(again.publicKey().getEncoded()).isEqualTo(file.publicKey().getEncoded());
      assertThat(again.signature()).isEqualTo(file.signature());
    });
  }

  /** A signer's certificate or public key, as imported for two-step signing. */
  @FuzzTest
  void signerKeyPem_anyText_isAP384KeyOrInvalidKeyException(byte[] pem) throws Exception {
    AllocationBudget.check(AllocationBudget.ALLOWANCE + 64L * pem.length, () -> {
      try {
        assertThat(SignerKeys.signerId(SignerKeys.parsePublicKeyPem(pem, "fuzz input")))
            .isNotNull();
      } catch (InvalidKeyException refused) {
        // refused: fine
      }
    });
  }

  /** A signing key file (PKCS#8 PEM), read by cella sign. */
  @FuzzTest
  void signingKeyPem_anyText_isAKeyPairOrInvalidKeyException(byte[] pem) throws Exception {
    AllocationBudget.check(AllocationBudget.ALLOWANCE + 64L * pem.length, () -> {
      try (BundleSigningKey key = BundleSigningKey.fromPem(pem, "fuzz input")) {
        assertThat(key.signerId()).isEqualTo(SignerKeys.signerId(key.publicKey()));
      } catch (InvalidKeyException refused) {
        // refused: fine
      }
    });
  }
}
