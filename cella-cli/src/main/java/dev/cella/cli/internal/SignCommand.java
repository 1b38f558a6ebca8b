package dev.cella.cli.internal;

import dev.cella.bundle.Bundle;
import dev.cella.bundle.BundleSigningKey;
import dev.cella.bundle.InvalidBundleException;
import dev.cella.bundle.SigningPayload;
import dev.cella.bundle.UnsignedBundle;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.interfaces.ECPublicKey;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cella sign}: one-step signing with a key file, or two-step signing by exporting the
 * payload and importing a signature made elsewhere.
 */
@Command(name = "sign",
    description = {"Sign a bundle (replacing any signature it has), in one step or two.",
        "Give one of:",
        "  --key KEY                                  sign with a key file",
        "  --export-payload P                         write the bytes to sign to P",
        "  --import-signature S --signer-cert C       attach a DER signature made elsewhere",
    },
    footer = {"", "Examples:",
        "  cella sign app.cella --key signing-key.pem",
        "  # two steps, the private key staying in an HSM (here: openssl):",
        "  cella sign app.cella --export-payload payload.bin",
        "  openssl dgst -sha384 -sign key.pem -out sig.der payload.bin",
        "  openssl pkey -in key.pem -pubout -out signer.pem",
        "  cella sign app.cella --import-signature sig.der --signer-cert signer.pem"})
public final class SignCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin HelpOption help;

  @Parameters(index = "0", paramLabel = "FILE.cella", description = "The bundle.")
  Path bundle;

  @Option(names = "--key", paramLabel = "KEY", description = "Sign with this key (PKCS#8 PEM).")
  Path key;

  @Option(names = "--export-payload", paramLabel = "P", description = "Write the signing payload to P.")
  Path exportPayload;

  @Option(names = "--import-signature", paramLabel = "S",
      description = "A DER ECDSA P-384/SHA-384 signature of the payload (openssl dgst -sha384 -sign).")
  Path importSignature;

  @Option(names = "--signer-cert", paramLabel = "C",
      description = "The signer's certificate or public key (PEM), for --import-signature.")
  Path signerCert;

  @Option(names = "--out", paramLabel = "FILE",
      description = "Write the signed bundle here instead of replacing FILE.cella.")
  Path out;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Override
  public Integer call() {
    int modes = (key != null ? 1 : 0) + (exportPayload != null ? 1 : 0) + (importSignature != null ? 1 : 0);
    if (modes != 1) {
      throw CliException.usage("give exactly one of --key, --export-payload or --import-signature");
    }
    if ((importSignature != null) != (signerCert != null)) {
      throw CliException.usage(importSignature != null
          ? "--import-signature needs --signer-cert C (the signer's certificate or public key)"
          : "--signer-cert goes with --import-signature");
    }
    if (exportPayload != null && out != null) {
      throw CliException.usage("--out goes with --key or --import-signature, not --export-payload");
    }
    UnsignedBundle unsigned = CliBundles.openForSigning(bundle);
    if (exportPayload != null) {
      SigningPayload payload = unsigned.signingPayload();
      CliFiles.writeAtomically(exportPayload, payload.toBytes());
      report("payload", unsigned, null, exportPayload);
      return ExitCode.OK;
    }
    byte[] signed;
    if (key != null) {
      try (BundleSigningKey signingKey = CliKeys.readSigningKey(key)) {
        signed = unsigned.sign(signingKey);
      }
    } else {
      byte[] signature = CliFiles.read(importSignature, "signature file");
      ECPublicKey signer = CliKeys.readSignerKey(signerCert);
      try {
        signed = unsigned.attachSignature(signature, signer);
      } catch (InvalidBundleException e) {
        throw CliException.bundle(importSignature, e);
      }
    }
    Bundle verified;
    try {
      verified = Bundle.read(signed);
    } catch (InvalidBundleException e) {
      throw new IllegalStateException("the bundle just signed does not verify", e);
    }
    Path target = out != null ? out : bundle;
    CliFiles.writeAtomically(target, signed);
    report("signed", unsigned, verified, target);
    return ExitCode.OK;
  }

  private void report(String what, UnsignedBundle unsigned, Bundle verified, Path file) {
    PrintWriter w = spec.commandLine().getOut();
    if (json) {
      JsonOutput.print(w, g -> {
        g.writeStartObject();
        g.writeStringField(what.equals("payload") ? "payload" : "bundle", file.toString());
        g.writeStringField("measurement", unsigned.measurement().hex());
        if (verified != null) {
          g.writeStringField("signer", verified.signer().hex());
        } else {
          g.writeNumberField("size", SigningPayload.LENGTH);
        }
        g.writeEndObject();
      });
      return;
    }
    if (verified == null) {
      w.println("wrote the signing payload (" + SigningPayload.LENGTH + " bytes) to " + file);
      w.println("measurement  " + unsigned.measurement().hex());
      w.println("sign it with ECDSA P-384/SHA-384, e.g. openssl dgst -sha384 -sign KEY -out SIG "
          + file + ", then: cella sign " + bundle + " --import-signature SIG --signer-cert CERT");
    } else {
      w.println("signed " + file);
      w.println("measurement  " + unsigned.measurement().hex());
      w.println("signer       " + verified.signer().hex());
    }
    w.flush();
  }
}
