package dev.cella.cli.internal;

import dev.cella.bundle.BundleSigningKey;
import dev.cella.bundle.SignerKeys;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cella keygen --out KEY [--force] [--json]}: a new bundle signing key. */
@Command(name = "keygen",
    description = "Make a new bundle signing key: ECDSA P-384, written as PKCS#8 PEM, readable "
        + "only by you (mode 0600).",
    footer = {"", "Example:",
        "  cella keygen --out signing-key.pem",
        "  # prints the signer id (SHA-384 of the public key) that policies name with signer=HEX"})
public final class KeygenCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin HelpOption help;

  @Option(names = "--out", required = true, paramLabel = "KEY", description = "Where to write the key.")
  Path out;

  @Option(names = "--force", description = "Replace KEY if it exists (the old key is lost).")
  boolean force;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Override
  public Integer call() {
    if (Files.exists(out) && !force) {
      throw CliException.failure(out + " already exists; choose another --out, or add --force to"
          + " replace it (the old key is then lost)");
    }
    if (Files.isDirectory(out)) {
      throw CliException.failure(out + " is a folder; --out names the key file to write");
    }
    try (BundleSigningKey key = BundleSigningKey.generate()) {
      try {
        key.writePem(out, force);
      } catch (FileAlreadyExistsException e) {
        throw CliException.failure(out + " already exists; add --force to replace it", e);
      } catch (IOException e) {
        throw CliException.failure("cannot write the key " + out + ": " + ErrorHandler.message(e), e);
      }
      var w = spec.commandLine().getOut();
      if (json) {
        JsonOutput.print(w, g -> {
          g.writeStartObject();
          g.writeStringField("key", out.toString());
          g.writeStringField("signer", key.signerId().hex());
          g.writeStringField("publicKey", SignerKeys.toPem(key.publicKey()));
          g.writeEndObject();
        });
      } else {
        w.println("wrote signing key " + out + " (ECDSA P-384, mode 0600)");
        w.println("signer  " + key.signerId().hex());
        w.flush();
      }
    }
    return ExitCode.OK;
  }
}
