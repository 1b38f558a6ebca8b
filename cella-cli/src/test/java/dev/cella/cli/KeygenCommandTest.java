package dev.cella.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.cella.bundle.BundleSigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeygenCommandTest extends CliTestBase {
  @Test
  void keygen_writesAnOwnerOnlyKey_andPrintsTheSigner() throws Exception {
    Path key = dir.resolve("k.pem");
    Cli.Result r = ok(Cli.run("keygen", "--out", key.toString()));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    try (BundleSigningKey read = BundleSigningKey.readPem(key)) {
      assertThat(r.out()).contains("signer  " + read.signerId().hex());
    }
  }

  @Test
  void keygen_existingFile_isRefusedWithoutForce() throws Exception {
    Path key = dir.resolve("k.pem");
    Files.writeString(key, "precious");
    fails(Cli.run("keygen", "--out", key.toString()), 1, "already exists");
    assertThat(Files.readString(key)).isEqualTo("precious");
    ok(Cli.run("keygen", "--out", key.toString(), "--force"));
    assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
  }

  @Test
  void keygen_json_printsSignerAndPublicKey() throws Exception {
    Path key = dir.resolve("k.pem");
    Map<String, String> fields = parse(ok(Cli.run("keygen", "--out", key.toString(), "--json")).out());
    try (BundleSigningKey read = BundleSigningKey.readPem(key)) {
      assertThat(fields).containsEntry("signer", read.signerId().hex())
          .containsEntry("key", key.toString());
      assertThat(fields.get("publicKey")).startsWith("-----BEGIN PUBLIC KEY-----");
    }
  }

  @Test
  void keygen_wrongArguments_areUsageErrors() {
    fails(Cli.run("keygen"), 2, "--out");
    fails(Cli.run("keygen", "--out"), 2, "--out");
    fails(Cli.run("keygen", "--out", "k.pem", "--colour"), 2, "--colour");
  }

  @Test
  void keygen_intoMissingFolder_failsInOneLine() {
    fails(Cli.run("keygen", "--out", dir.resolve("no/such/k.pem").toString()), 1, "no/such");
  }

  @Test
  void verbose_addsTheStackTrace() {
    Cli.Result r = Cli.run("--verbose", "keygen", "--out", dir.resolve("no/such/k.pem").toString());
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err()).startsWith("cella: ").contains("\tat ");
    Cli.Result after = Cli.run("keygen", "--verbose", "--out", dir.resolve("no/such/k.pem").toString());
    assertThat(after.err()).contains("\tat ");
  }

  static Map<String, String> parse(String json) throws Exception {
    Map<String, String> out = new HashMap<>();
    try (JsonParser p = new JsonFactory().createParser(json)) {
      assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
      int depth = 1;
      while (depth > 0) {
        JsonToken t = p.nextToken();
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
          depth++;
        } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
          depth--;
        } else if (t.isScalarValue() && depth == 1) {
          out.put(p.currentName(), p.getText());
        }
      }
      assertThat(p.nextToken()).isNull();
    }
    return out;
  }
}
