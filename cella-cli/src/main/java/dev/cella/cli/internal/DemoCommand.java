package dev.cella.cli.internal;

import dev.cella.Enclave;
import dev.cella.EnclaveException;
import dev.cella.EnclaveOptions;
import dev.cella.attestation.platform.SoftwarePlatform;
import dev.cella.bundle.BundleBuilder;
import dev.cella.bundle.BundleSigningKey;
import dev.cella.bundle.Manifest;
import dev.cella.bundle.RuntimeJars;
import dev.cella.bundle.ServiceBinding;
import dev.cella.examples.signer.SignerService;
import dev.cella.host.EnclaveManager;
import java.io.IOException;
import java.security.SecureRandom;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cella demo [--backend B] [--file F]}: the main job end to end. Packages {@code
 * examples/signer} into a signed bundle, loads it, has the enclave sign the file with a P-384 key
 * it made inside itself, and checks the signature on the host with the JDK and with openssl.
 */
@Command(name = "demo",
    description = {"Sign a file inside an enclave (examples/signer) and verify the signature on",
        "the host with the JDK and, where installed, openssl. Default file: the README."},
    footer = {"", "Examples:", "  cella demo", "  cella demo --file pom.xml --json"})
public final class DemoCommand implements Callable<Integer> {
  static final String IMPLEMENTATION = "dev.cella.examples.signer.SignerServiceImpl";

  @Spec CommandSpec spec;

  @Mixin HelpOption help;

  @Option(names = "--backend", paramLabel = "B",
      description = "The backend (default: $CELLA_BACKEND, else sim). See `cella backends`.")
  String backend;

  @Option(names = "--file", paramLabel = "F", description = "The file to sign (default: README.md).")
  Path file;

  @Option(names = "--json", description = "Print the report as JSON.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    Path repo = repository();
    Path target = file != null ? file : repo.resolve("README.md");
    byte[] content = CliFiles.read(target, "file to sign");
    Path work = SoftwarePlatform.defaultHome().resolve("demo");
    Files.createDirectories(work);
    Path bundle = packageSigner(repo, work);

    EnclaveOptions.Builder options = EnclaveOptions.builder();
    if (backend != null) {
      options.backend(CliOptions.backendName(backend));
    }
    byte[] nonce = new byte[32];
    new SecureRandom().nextBytes(nonce);
    DemoReport report;
    try (EnclaveManager manager = EnclaveManager.create();
         Enclave enclave = manager.load("signer", bundle, options.build())) {
      SignerService.Signed signed = enclave.service(SignerService.class).sign(content, nonce);
      report = check(target, content, enclave, signed, nonce);
      enclave.finish(new byte[0]);
    } catch (EnclaveException e) {
      throw CliEnclaves.failure(bundle, e);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      JsonOutput.print(out, report::writeJson);
    } else {
      report.print(out);
    }
    if (!report.verified()) {
      throw CliException.failure("the enclave's signature or evidence did not verify");
    }
    return ExitCode.OK;
  }

  private static Path repository() {
    String repo = System.getProperty("cella.repo");
    if (repo == null) {
      throw CliException.failure("the demo runs from a Cella source checkout: start it with ./cella demo");
    }
    return Path.of(repo);
  }

  /** Packages the example's jar and the runtime into a bundle signed with the demo's own key. */
  private static Path packageSigner(Path repo, Path work) throws IOException {
    Path jar = repo.resolve("examples/signer/target/signer-0.1.0-SNAPSHOT.jar");
    if (!Files.isRegularFile(jar)) {
      throw CliException.failure("the signer example is not built (" + jar
          + " is missing); ./cella builds it on first use");
    }
    Path keyFile = work.resolve("signing-key.pem");
    BundleSigningKey key;
    if (Files.exists(keyFile)) {
      key = CliKeys.readSigningKey(keyFile);
    } else {
      key = BundleSigningKey.generate();
      key.writePem(keyFile, false);
    }
    try (key) {
      Manifest manifest = Manifest.builder().name("signer")
          .addService(new ServiceBinding(SignerService.class.getName(), IMPLEMENTATION)).build();
      BundleBuilder builder = BundleBuilder.create(manifest).addLibrary(jar);
      builder.addLibraries(RuntimeJars.locate().jars());
      Path bundle = work.resolve("signer.cella");
      builder.writeSigned(key, bundle);
      return bundle;
    }
  }

  private static DemoReport check(Path target, byte[] content, Enclave enclave,
      SignerService.Signed signed, byte[] nonce) {
    PublicKey publicKey;
    boolean jdk;
    try {
      publicKey = KeyFactory.getInstance("EC")
          .generatePublic(new X509EncodedKeySpec(signed.publicKey()));
      Signature verifier = Signature.getInstance("SHA384withECDSA");
      verifier.initVerify(publicKey);
      verifier.update(content);
      jdk = verifier.verify(signed.signature());
    } catch (GeneralSecurityException e) {
      throw CliException.refused("the enclave's public key or signature is malformed: "
          + e.getMessage(), e);
    }
    OpensslCheck.Outcome openssl = OpensslCheck.verify(target, publicKey, signed.signature());
    EvidenceCheck evidence = EvidenceCheck.verify(enclave, signed.evidence(), nonce,
        sha384(signed.publicKey()));
    return new DemoReport(enclave.identity(), enclave.backend(), target, content.length,
        HexFormat.of().formatHex(sha384(signed.publicKey())), signed.keyCreated(), jdk, openssl,
        evidence);
  }

  private static byte[] sha384(byte[] der) {
    try {
      return MessageDigest.getInstance("SHA-384").digest(der);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
