package dev.cella.cli.internal;

import dev.cella.Bytes;
import dev.cella.Enclave;
import dev.cella.EnclaveException;
import dev.cella.EnclaveIdentity;
import dev.cella.EnclaveOptions;
import dev.cella.host.EnclaveManager;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cella attest FILE.cella [--backend B] --nonce HEX [--report-data HEX] --out EVIDENCE}. */
@Command(name = "attest",
    description = {"Load a bundle as an enclave and write evidence of its identity, signed by its",
        "platform and binding a nonce and report data (at most 64 bytes each)."},
    footer = {"", "Example:",
        "  cella attest app.cella --nonce 00112233 --out app.evidence",
        "  cella verify app.evidence --policy \"measurement=… nonce=00112233 root=root.pem\""})
public final class AttestCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin HelpOption help;

  @Parameters(index = "0", paramLabel = "FILE.cella", description = "The signed bundle.")
  Path bundle;

  @Option(names = "--backend", paramLabel = "B",
      description = "The backend (default: $CELLA_BACKEND, else sim).")
  String backend;

  @Option(names = "--nonce", required = true, paramLabel = "HEX",
      description = "The verifier's challenge, hex, at most 64 bytes.")
  String nonce;

  @Option(names = "--report-data", paramLabel = "HEX", description = "Data to bind, hex, at most 64 bytes.")
  String reportData;

  @Option(names = "--out", required = true, paramLabel = "EVIDENCE", description = "Where to write the evidence.")
  Path out;

  @Override
  public Integer call() {
    Bytes nonceBytes = Hex.parse("--nonce", nonce);
    Bytes data = reportData == null ? Bytes.empty() : Hex.parse("--report-data", reportData);
    if (nonceBytes.length() > 64 || data.length() > 64) {
      throw CliException.usage("--nonce and --report-data are at most 64 bytes (128 hex digits)");
    }
    CliFiles.requireFile(bundle, "bundle");
    EnclaveOptions.Builder options = EnclaveOptions.builder();
    if (backend != null) {
      options.backend(CliOptions.backendName(backend));
    }
    byte[] evidence;
    EnclaveIdentity identity;
    String backendName;
    try (EnclaveManager manager = EnclaveManager.create();
         Enclave enclave = manager.load(CliOptions.enclaveName(bundle), bundle, options.build())) {
      evidence = enclave.attest(nonceBytes.toByteArray(), data.toByteArray());
      identity = enclave.identity();
      backendName = enclave.backend().name();
    } catch (EnclaveException e) {
      throw CliEnclaves.failure(bundle, e);
    }
    CliFiles.writeAtomically(out, evidence);
    PrintWriter w = spec.commandLine().getOut();
    w.println("wrote " + evidence.length + " bytes of " + identity.platform().id()
        + " evidence to " + out + " (backend " + backendName + ")");
    w.println("  measurement  " + identity.measurement().hex());
    w.println("  signer       " + identity.signer().hex());
    w.println("verify it with: cella verify " + out + " --policy \"measurement="
        + identity.measurement().hex() + " nonce=" + nonceBytes.hex() + " root=ROOT.pem"
        + (identity.platform().id().equals("sim") ? " insecure=accept-simulated" : "")
        + "\" (ROOT.pem from: cella platform export-root --backend " + backendName + ")");
    w.flush();
    return ExitCode.OK;
  }
}
