package dev.cella.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.bundle.InvalidBundleException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPublicKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two-step signing with a signature made by the real openssl, as an HSM workflow would. */
class TwoStepSigningTest {
  @TempDir Path dir;

  @BeforeEach
  void keys() throws Exception {
    OpenSsl.assumeInstalled();
    OpenSsl.run(dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", "key.pem");
    OpenSsl.run(dir, "pkey", "-in", "key.pem", "-pubout", "-out", "pub.pem");
    OpenSsl.run(dir, "req", "-new", "-x509", "-key", "key.pem", "-subj", "/CN=cella test signer",
        "-days", "2", "-out", "cert.pem");
    OpenSsl.run(dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", "other.pem");
  }

  private UnsignedBundle exportAndSign(String key) throws Exception {
    UnsignedBundle unsigned = UnsignedBundle.read(Fixtures.builder().buildUnsigned().toBytes());
    Files.write(dir.resolve("payload.bin"), unsigned.signingPayload().toBytes());
    OpenSsl.run(dir, "dgst", "-sha384", "-sign", key, "-out", "sig.der", "payload.bin");
    return unsigned;
  }

  @Test
  void attachSignature_madeByOpensslWithCertificate_givesAVerifiedBundle() throws Exception {
    UnsignedBundle unsigned = exportAndSign("key.pem");
    ECPublicKey signer = SignerKeys.readPublicKeyPem(dir.resolve("cert.pem"));
    byte[] signed = unsigned.attachSignature(Files.readAllBytes(dir.resolve("sig.der")), signer);
    Bundle bundle = Bundle.read(signed);
    assertThat(bundle.measurement()).isEqualTo(unsigned.measurement());
    assertThat(bundle.signer()).isEqualTo(SignerKeys.signerId(signer));
    OpenSsl.run(dir, "pkey", "-in", "key.pem", "-pubout", "-outform", "DER", "-out", "pub.der");
    assertThat(bundle.signerPublicKey().getEncoded()).isEqualTo(Files.readAllBytes(dir.resolve("pub.der")));
  }

  @Test
  void attachSignature_madeByOpensslWithPublicKey_givesAVerifiedBundle() throws Exception {
    UnsignedBundle unsigned = exportAndSign("key.pem");
    byte[] signed = unsigned.attachSignature(Files.readAllBytes(dir.resolve("sig.der")),
        SignerKeys.readPublicKeyPem(dir.resolve("pub.pem")));
    assertThat(Bundle.read(signed).manifest()).isEqualTo(Fixtures.manifest());
  }

  @Test
  void attachSignature_byAnotherKeyThanTheCertificate_isBadSignature() throws Exception {
    UnsignedBundle unsigned = exportAndSign("other.pem");
    ECPublicKey signer = SignerKeys.readPublicKeyPem(dir.resolve("cert.pem"));
    byte[] sig = Files.readAllBytes(dir.resolve("sig.der"));
    assertThatThrownBy(() -> unsigned.attachSignature(sig, signer))
        .isInstanceOfSatisfying(InvalidBundleException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE));
  }

  @Test
  void attachSignature_overAnotherPayload_isBadSignature() throws Exception {
    exportAndSign("key.pem");
    UnsignedBundle other = UnsignedBundle.read(BundleBuilder.create(
        Fixtures.manifest().toBuilder().svn(9).build()).addLibrary("a.jar", Fixtures.jar("a", "b"))
        .buildUnsigned().toBytes());
    byte[] sig = Files.readAllBytes(dir.resolve("sig.der"));
    ECPublicKey signer = SignerKeys.readPublicKeyPem(dir.resolve("pub.pem"));
    assertThatThrownBy(() -> other.attachSignature(sig, signer))
        .isInstanceOfSatisfying(InvalidBundleException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE));
  }

  @Test
  void readPublicKeyPem_privateKeyFile_isRefused() {
    assertThatThrownBy(() -> SignerKeys.readPublicKeyPem(dir.resolve("key.pem")))
        .isInstanceOf(java.security.InvalidKeyException.class)
        .hasMessageContaining("no CERTIFICATE or PUBLIC KEY");
  }

  @Test
  void oneStepSigning_ofAnOpensslKey_matchesTwoStep() throws Exception {
    UnsignedBundle unsigned = exportAndSign("key.pem");
    try (BundleSigningKey key = BundleSigningKey.readPem(dir.resolve("key.pem"))) {
      Bundle one = Bundle.read(unsigned.sign(key));
      Bundle two = Bundle.read(unsigned.attachSignature(Files.readAllBytes(dir.resolve("sig.der")),
          SignerKeys.readPublicKeyPem(dir.resolve("cert.pem"))));
      assertThat(one.signer()).isEqualTo(two.signer());
      assertThat(one.measurement()).isEqualTo(two.measurement());
    }
  }
}
