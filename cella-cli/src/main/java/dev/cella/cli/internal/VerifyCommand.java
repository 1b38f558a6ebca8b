package dev.cella.cli.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.cella.attestation.AttestationException;
import dev.cella.attestation.AttestationPolicy;
import dev.cella.attestation.AttestationVerifier;
import dev.cella.attestation.VerifiedEnclave;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cella verify EVIDENCE [--policy TEXT] [--nonce HEX] [--collateral DIR] [--at TIME]}:
 * detects the format, verifies, applies the policy, prints the verified claims; exits 3 with the
 * reason when the evidence is refused.
 */
@Command(name = "verify",
    description = {"Detect the evidence format, verify it (signatures, chains, validity windows,",
        "TCB) and the policy, and print the verified claims. A refusal exits with status 3.",
        "Without --policy only the evidence itself is checked (identity=any): pin the measurement",
        "or signer with a policy before trusting what it says."},
    footer = {"", "Policy keys: measurement= signer= product= min-svn= debug=allow nonce= report-data=",
        "  platform=KIND[,KIND] root=PEM-FILE insecure=accept-simulated tcb=STATUS[,STATUS] identity=any",
        "  and the hardware claims (mrenclave= mrsigner= mrtd= rtmr0= pcr0= …).", "", "Examples:",
        "  cella verify app.evidence --policy \"measurement=… root=sim-root.pem insecure=accept-simulated\"",
        "  cella verify quote.dat --collateral collateral/ --at 2025-01-15T00:00:00Z --json"})
public final class VerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin HelpOption help;

  @Parameters(index = "0", paramLabel = "EVIDENCE", description = "The evidence file.")
  Path evidence;

  @Option(names = "--policy", paramLabel = "TEXT", description = "The policy, in its one-line text form.")
  String policyText;

  @Option(names = "--nonce", paramLabel = "HEX", description = "The nonce the evidence must answer.")
  String nonce;

  @Option(names = "--collateral", paramLabel = "DIR",
      description = "A folder of collateral files (recognized by content).")
  Path collateral;

  @Option(names = "--at", paramLabel = "ISO-8601",
      description = "Verify as at this time (default: now), e.g. 2025-01-15T00:00:00Z.")
  String at;

  @Option(names = "--json", description = "Print the verified claims as JSON.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    AttestationPolicy policy = policy();
    AttestationVerifier.Options options = AttestationVerifier.Options.now();
    if (at != null) {
      try {
        options = AttestationVerifier.Options.at(Instant.parse(at.strip()));
      } catch (DateTimeParseException e) {
        throw CliException.usage("--at takes an ISO-8601 instant such as 2025-01-15T00:00:00Z, got '"
            + at + "'");
      }
    }
    if (collateral != null) {
      if (!Files.isDirectory(collateral)) {
        throw CliException.failure("not a folder: " + collateral);
      }
      options = options.withCollateralDir(collateral);
    }
    byte[] bytes = CliFiles.read(evidence, "evidence");
    VerifiedEnclave verified;
    try {
      verified = AttestationVerifier.create().verify(bytes, policy, options);
    } catch (AttestationException e) {
      throw CliException.refused("evidence refused (" + e.reason() + "): " + e.getMessage(), e);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      JsonOutput.print(out, g -> writeJson(g, verified));
    } else {
      print(out, verified);
    }
    return ExitCode.OK;
  }

  private AttestationPolicy policy() {
    AttestationPolicy policy;
    try {
      policy = AttestationPolicy.parse(policyText == null ? "identity=any" : policyText);
      if (nonce != null) {
        policy = policy.toBuilder().nonce(Hex.parse("--nonce", nonce)).build();
      }
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw CliException.usage("bad policy: " + e.getMessage());
    }
    return policy;
  }

  private void print(PrintWriter out, VerifiedEnclave v) {
    out.println("verified " + v.format() + " evidence" + (policyText == null
        ? " (no policy: the identity below is NOT pinned)" : ", policy satisfied"));
    row(out, "platform", v.platform().id() + " (" + v.securityLevel().id() + ")");
    row(out, "measurement", v.measurement().hex());
    v.signer().ifPresent(s -> row(out, "signer", s.hex()));
    row(out, "product", Integer.toString(v.productId()));
    row(out, "svn", Integer.toString(v.svn()));
    row(out, "debug", v.debug() ? "yes (secrets not protected)" : "no");
    row(out, "report data", v.reportData().hex());
    v.nonce().ifPresent(n -> row(out, "nonce", n.hex()));
    v.issuedAt().ifPresent(t -> row(out, "issued at", t.toString()));
    v.tcb().ifPresent(t -> row(out, "tcb", t.status().id()
        + (t.advisoryIds().isEmpty() ? "" : " " + t.advisoryIds())));
    for (Map.Entry<String, String> claim : v.claims().entrySet()) {
      row(out, claim.getKey(), claim.getValue());
    }
    out.flush();
  }

  private static void writeJson(JsonGenerator g, VerifiedEnclave v) throws IOException {
    g.writeStartObject();
    g.writeStringField("format", v.format());
    g.writeStringField("platform", v.platform().id());
    g.writeStringField("securityLevel", v.securityLevel().id());
    g.writeStringField("measurement", v.measurement().hex());
    if (v.signer().isPresent()) {
      g.writeStringField("signer", v.signer().get().hex());
    }
    g.writeNumberField("productId", v.productId());
    g.writeNumberField("svn", v.svn());
    g.writeBooleanField("debug", v.debug());
    g.writeStringField("reportData", v.reportData().hex());
    if (v.nonce().isPresent()) {
      g.writeStringField("nonce", v.nonce().get().hex());
    }
    if (v.issuedAt().isPresent()) {
      g.writeStringField("issuedAt", v.issuedAt().get().toString());
    }
    if (v.tcb().isPresent()) {
      g.writeObjectFieldStart("tcb");
      g.writeStringField("status", v.tcb().get().status().id());
      g.writeArrayFieldStart("advisoryIds");
      for (String id : v.tcb().get().advisoryIds()) {
        g.writeString(id);
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeObjectFieldStart("claims");
    for (Map.Entry<String, String> claim : v.claims().entrySet()) {
      g.writeStringField(claim.getKey(), claim.getValue());
    }
    g.writeEndObject();
    g.writeEndObject();
  }

  private static void row(PrintWriter out, String name, String value) {
    out.printf("  %-13s %s%n", name, CliEnclaves.printable(value));
  }
}
