package dev.cella.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.bundle.Bundle;
import dev.cella.bundle.BundleSigningKey;
import dev.cella.bundle.Manifest;
import dev.cella.bundle.SignerKeys;
import dev.cella.bundle.UnsignedBundle;
import dev.cella.maven.internal.BundleAssembler;
import dev.cella.maven.internal.BundleFiles;
import dev.cella.maven.fixtures.Greeter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two-step signing: the payload leaves, a signature made elsewhere comes back. */
class ImportSignatureMojoTest {
  @TempDir Path dir;
  private final List<List<Object>> attached = new ArrayList<>();
  private Path unsignedFile;
  private Path payloadFile;
  private UnsignedBundle unsigned;

  @BeforeEach
  void setUp() throws Exception {
    Manifest manifest = Manifest.builder().name("echo").entry(Greeter.class.getName()).svn(2).build();
    unsigned = BundleAssembler.assemble(manifest,
        new BundleAssembler.Jar("app-1.0.jar", Fixtures.packageJar(Greeter.class, dir.resolve("app.jar"))),
        List.of(), Fixtures.runtime(dir.resolve("runtime")));
    unsignedFile = dir.resolve("app-unsigned.cella");
    payloadFile = dir.resolve("app.cella-payload");
    BundleFiles.writeForExternalSigning(unsigned, unsignedFile, payloadFile);
  }

  private ImportSignatureMojo mojo(Path signature, Path certificate) {
    ImportSignatureMojo mojo = new ImportSignatureMojo(Recorders.helper(attached));
    mojo.setLog(Recorders.log(new ArrayList<>()));
    mojo.project = new MavenProject();
    mojo.unsignedFile = unsignedFile.toFile();
    mojo.signatureFile = signature.toFile();
    mojo.signerCertificate = certificate.toFile();
    mojo.outputFile = dir.resolve("app.cella").toFile();
    mojo.classifier = "cella";
    mojo.attach = true;
    return mojo;
  }

  /** What an HSM does: a DER ECDSA P-384/SHA-384 signature over the payload file. */
  private static Path signElsewhere(Path payload, BundleSigningKey hsm, Path signature) throws Exception {
    return Files.write(signature, hsm.sign(Files.readAllBytes(payload)));
  }

  @Test
  void importSignature_madeOverThePayload_givesAVerifiedBundleAndAttachesIt() throws Exception {
    try (BundleSigningKey hsm = BundleSigningKey.generate()) {
      Path signature = signElsewhere(payloadFile, hsm, dir.resolve("sig.der"));
      Path certificate = Files.writeString(dir.resolve("signer.pem"), SignerKeys.toPem(hsm.publicKey()));
      mojo(signature, certificate).execute();
      Bundle bundle = Bundle.open(dir.resolve("app.cella"));
      assertThat(bundle.signer()).isEqualTo(hsm.signerId());
      assertThat(bundle.measurement()).isEqualTo(unsigned.measurement());
      assertThat(bundle.manifest().svn()).isEqualTo(2);
      assertThat(attached).hasSize(1);
      assertThat(attached.getFirst()).contains("cella", dir.resolve("app.cella").toFile());
    }
  }

  @Test
  void importSignature_byAnotherKeyThanTheCertificates_isRefusedAndWritesNothing() throws Exception {
    try (BundleSigningKey hsm = BundleSigningKey.generate(); BundleSigningKey other = BundleSigningKey.generate()) {
      Path signature = signElsewhere(payloadFile, hsm, dir.resolve("sig.der"));
      Path certificate = Files.writeString(dir.resolve("other.pem"), SignerKeys.toPem(other.publicKey()));
      assertThatThrownBy(() -> mojo(signature, certificate).execute())
          .isInstanceOf(MojoFailureException.class).hasMessageContaining("does not verify");
      assertThat(dir.resolve("app.cella")).doesNotExist();
      assertThat(attached).isEmpty();
    }
  }

  @Test
  void importSignature_overAnotherPayload_isRefused() throws Exception {
    try (BundleSigningKey hsm = BundleSigningKey.generate()) {
      Path otherPayload = Files.write(dir.resolve("other-payload"), new byte[79]);
      Path signature = signElsewhere(otherPayload, hsm, dir.resolve("sig.der"));
      Path certificate = Files.writeString(dir.resolve("signer.pem"), SignerKeys.toPem(hsm.publicKey()));
      assertThatThrownBy(() -> mojo(signature, certificate).execute())
          .isInstanceOf(MojoFailureException.class).hasMessageContaining("payload");
    }
  }
}
