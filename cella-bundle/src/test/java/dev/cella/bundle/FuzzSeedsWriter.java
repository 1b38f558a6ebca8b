package dev.cella.bundle;

import dev.cella.Bytes;
import dev.cella.EnclaveLimits;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes the valid seed inputs of {@link BundleReadersFuzzTest}, made by the real writers, into
 * {@code src/test/resources/dev/cella/bundle/BundleReadersFuzzTestInputs/<method>/seed-*}. Not
 * part of the build: run it when a format changes, then fuzz to regrow the corpus
 * (docs/fuzzing.md): {@code ./mvnw -pl cella-bundle -am test -Dtest=FuzzSeedsWriter
 * -Dsurefire.failIfNoSpecifiedTests=false -Dcella.fuzz.writeSeeds=true}. The keys are made fresh
 * and thrown away; the signer certificate seed is made by {@code openssl} when it is installed.
 */
@EnabledIfSystemProperty(named = "cella.fuzz.writeSeeds", matches = "true")
class FuzzSeedsWriter {
  private static final Path INPUTS =
      Path.of("src/test/resources/dev/cella/bundle/BundleReadersFuzzTestInputs");

  @TempDir Path temp;

  @Test
  void writeSeeds() throws Exception {
    Manifest full = Manifest.builder().name("demo-app").entry("com.example.App")
        .addService(new ServiceBinding("com.example.Signer", "com.example.SignerImpl"))
        .productId(7).svn(2).debug(true)
        .limits(new EnclaveLimits(64, 4, EnclaveLimits.MIN_FRAME_BYTES, 8))
        .hostAccess(new HostAccess(
            List.of(new FileGrant("/srv/data", "/data", FileGrant.Mode.SEALED)),
            List.of(NetworkGrant.Connect.parse("example.com:443"), new NetworkGrant.Listen(8080))))
        .initialConfig(Bytes.of(new byte[] {1, 2, 3}))
        .build();
    Manifest minimal = Manifest.builder().name("x").entry("A").build();
    write("manifest_anyJson_parsesCanonicallyOrInvalidBundleException", "full", full.toJson());
    write("manifest_anyJson_parsesCanonicallyOrInvalidBundleException", "minimal",
        minimal.toJson());

    try (BundleSigningKey key = BundleSigningKey.generate()) {
      BundleBuilder builder = BundleBuilder.create(minimal)
          .addLibrary("app.jar", jar("com/example/A.class", "not really a class"));
      byte[] signed = builder.buildSigned(key);
      byte[] unsigned = builder.buildUnsigned().toBytes();
      Map<String, byte[]> entries = entries(signed);
      String bundle = "bundle_anyBytes_isReadOrInvalidBundleException";
      write(bundle, "signed", signed);
      write(bundle, "unsigned", unsigned);
      write(bundle, "signed-deflated", deflated(entries));
      write("signatureFile_anyJson_parsesOrInvalidBundleException", "valid",
          entries.get("cella/signature"));

      String signer = "signerKeyPem_anyText_isAP384KeyOrInvalidKeyException";
      write(signer, "public-key", SignerKeys.toPem(key.publicKey()).getBytes(StandardCharsets.US_ASCII));
      Path pem = temp.resolve("key.pem");
      key.writePem(pem, false);
      write("signingKeyPem_anyText_isAKeyPairOrInvalidKeyException", "pkcs8", Files.readAllBytes(pem));
      certificate(pem).ifPresent(cert -> writeUnchecked(signer, "certificate", cert));
    }
  }

  /** A self-signed certificate of the key, by openssl, if it is installed. */
  private Optional<byte[]> certificate(Path key) throws InterruptedException {
    Path cert = temp.resolve("cert.pem");
    try {
      Process p = new ProcessBuilder("openssl", "req", "-new", "-x509", "-key", key.toString(),
          "-subj", "/CN=Cella fuzz seed", "-days", "1", "-out", cert.toString())
          .redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor() == 0 ? Optional.of(Files.readAllBytes(cert))
          : Optional.empty();
    } catch (IOException noOpenssl) {
      return Optional.empty();
    }
  }

  /** A jar holding one file, DEFLATED as jar tools write it. */
  private static byte[] jar(String file, String content) {
    return zip(Map.of(file, content.getBytes(StandardCharsets.UTF_8)));
  }

  /** The same entries in a ZIP that ZipOutputStream writes: DEFLATED, with data descriptors. */
  private static byte[] deflated(Map<String, byte[]> entries) {
    return zip(new TreeMap<>(entries));
  }

  private static byte[] zip(Map<String, byte[]> entries) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        ZipEntry entry = new ZipEntry(e.getKey());
        entry.setTimeLocal(java.time.LocalDateTime.of(2026, 1, 1, 0, 0));
        zip.putNextEntry(entry);
        zip.write(e.getValue());
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static Map<String, byte[]> entries(byte[] zip) throws IOException {
    Map<String, byte[]> entries = new TreeMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        entries.put(e.getName(), in.readAllBytes());
      }
    }
    return entries;
  }

  private static void writeUnchecked(String method, String name, byte[] bytes) {
    try {
      write(method, name, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(String method, String name, byte[] bytes) throws IOException {
    Path dir = INPUTS.resolve(method);
    Files.createDirectories(dir);
    Files.write(dir.resolve("seed-" + name), bytes);
  }
}
