package dev.cella.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.InvalidKeyException;
import java.security.KeyPairGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleSigningKeyTest {
  @TempDir Path dir;

  @Test
  void writePem_isOwnerOnlyPkcs8_andReadsBack() throws Exception {
    Path file = dir.resolve("key.pem");
    try (BundleSigningKey key = BundleSigningKey.generate()) {
      key.writePem(file, false);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
      assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----\n")
          .endsWith("-----END PRIVATE KEY-----\n");
      try (BundleSigningKey read = BundleSigningKey.readPem(file)) {
        assertThat(read.signerId()).isEqualTo(key.signerId());
        byte[] payload = {1, 2, 3};
        java.security.Signature v = java.security.Signature.getInstance("SHA384withECDSA");
        v.initVerify(key.publicKey());
        v.update(payload);
        assertThat(v.verify(read.sign(payload))).isTrue();
      }
    }
  }

  @Test
  void writePem_existingFile_isRefusedUnlessReplacing() throws Exception {
    Path file = dir.resolve("key.pem");
    Files.writeString(file, "keep me");
    try (BundleSigningKey key = BundleSigningKey.generate()) {
      assertThatThrownBy(() -> key.writePem(file, false)).isInstanceOf(FileAlreadyExistsException.class);
      assertThat(Files.readString(file)).isEqualTo("keep me");
      key.writePem(file, true);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
      try (BundleSigningKey read = BundleSigningKey.readPem(file)) {
        assertThat(read.signerId()).isEqualTo(key.signerId());
      }
    }
  }

  @Test
  void sign_afterClose_isRefused() {
    BundleSigningKey key = BundleSigningKey.generate();
    key.close();
    key.close();
    assertThatThrownBy(() -> key.sign(new byte[1])).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void readPem_opensslPkcs8Key_isAccepted_withTheSameSignerAsOpenssl() throws Exception {
    OpenSsl.assumeInstalled();
    OpenSsl.run(dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", "k.pem");
    OpenSsl.run(dir, "pkey", "-in", "k.pem", "-pubout", "-outform", "DER", "-out", "pub.der");
    try (BundleSigningKey key = BundleSigningKey.readPem(dir.resolve("k.pem"))) {
      assertThat(key.publicKey().getEncoded()).isEqualTo(Files.readAllBytes(dir.resolve("pub.der")));
      // And openssl reads the keys Cella writes.
      key.writePem(dir.resolve("cella.pem"), false);
      OpenSsl.run(dir, "pkey", "-in", "cella.pem", "-pubout", "-outform", "DER", "-out", "cella-pub.der");
      assertThat(Files.readAllBytes(dir.resolve("cella-pub.der"))).isEqualTo(key.publicKey().getEncoded());
    }
  }

  @Test
  void readPem_sec1Key_isRefusedWithTheConversionCommand() throws Exception {
    OpenSsl.assumeInstalled();
    OpenSsl.run(dir, "ecparam", "-name", "secp384r1", "-genkey", "-out", "sec1.pem");
    assertThatThrownBy(() -> BundleSigningKey.readPem(dir.resolve("sec1.pem")))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("SEC1").hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
  }

  @Test
  void readPem_encryptedKey_isRefusedWithTheConversionCommand() throws Exception {
    OpenSsl.assumeInstalled();
    OpenSsl.run(dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384",
        "-aes-256-cbc", "-pass", "pass:secret", "-out", "enc.pem");
    assertThatThrownBy(() -> BundleSigningKey.readPem(dir.resolve("enc.pem")))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("encrypted").hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
  }

  @Test
  void readPem_p256Key_isRefused() throws Exception {
    OpenSsl.assumeInstalled();
    OpenSsl.run(dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "p256.pem");
    assertThatThrownBy(() -> BundleSigningKey.readPem(dir.resolve("p256.pem")))
        .isInstanceOf(InvalidKeyException.class).hasMessageContaining("P-256").hasMessageContaining("P-384");
  }

  @Test
  void readPem_rsaKey_isRefused() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    byte[] pem = pem("PRIVATE KEY", g.generateKeyPair().getPrivate().getEncoded());
    assertThatThrownBy(() -> BundleSigningKey.fromPem(pem, "rsa.pem"))
        .isInstanceOf(InvalidKeyException.class).hasMessageContaining("not an EC key");
  }

  @Test
  void readPem_pkcs8WithoutPublicKey_isRefusedWithAFix() {
    byte[] scalar = new byte[48];
    scalar[47] = 7;
    byte[] der = dev.cella.bundle.internal.Pkcs8.encodeForJdk(scalar);
    assertThatThrownBy(() -> BundleSigningKey.fromPem(pem("PRIVATE KEY", der), "bare.pem"))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("does not include its public key").hasMessageContaining("openssl pkcs8");
  }

  @Test
  void readPem_notPemOrWrongBlock_isRefused() {
    assertThatThrownBy(() -> BundleSigningKey.fromPem(Fixtures.utf8("hello"), "x.pem"))
        .isInstanceOf(InvalidKeyException.class).hasMessageContaining("not a PEM file");
    assertThatThrownBy(() -> BundleSigningKey.fromPem(pem("CERTIFICATE", new byte[] {1}), "c.pem"))
        .isInstanceOf(InvalidKeyException.class).hasMessageContaining("not a private key");
    assertThatThrownBy(() -> BundleSigningKey.fromPem(pem("PRIVATE KEY", new byte[] {0x30, 0x05}), "d.pem"))
        .isInstanceOf(InvalidKeyException.class).hasMessageContaining("malformed");
  }

  static byte[] pem(String label, byte[] der) {
    return Fixtures.utf8("-----BEGIN " + label + "-----\n"
        + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + label + "-----\n");
  }
}
