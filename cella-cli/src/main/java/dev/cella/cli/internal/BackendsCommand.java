package dev.cella.cli.internal;

import dev.cella.BackendInfo;
import dev.cella.host.EnclaveManager;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cella backends [--json]}: each backend, what it protects, and whether it runs here. */
@Command(name = "backends",
    description = {"List the backends: their security level, what each protects against and",
        "what not, and whether it can run on this machine (and why not)."},
    footer = {"", "Examples:",
        "  cella backends",
        "  cella backends --json"})
public final class BackendsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin HelpOption help;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Override
  public Integer call() {
    List<BackendInfo> backends;
    try (EnclaveManager manager = EnclaveManager.create()) {
      backends = manager.backends();
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      JsonOutput.print(out, g -> {
        g.writeStartArray();
        for (BackendInfo b : backends) {
          g.writeStartObject();
          g.writeStringField("name", b.name());
          g.writeBooleanField("available", b.isAvailable());
          if (!b.isAvailable()) {
            g.writeStringField("unavailableBecause", b.unavailabilityCause().orElseThrow());
          }
          g.writeStringField("platform", b.platform().id());
          g.writeStringField("securityLevel", b.securityLevel().id());
          g.writeStringField("summary", b.summary());
          g.writeArrayFieldStart("protectsAgainst");
          for (String s : b.protectsAgainst()) {
            g.writeString(s);
          }
          g.writeEndArray();
          g.writeArrayFieldStart("doesNotProtectAgainst");
          for (String s : b.doesNotProtectAgainst()) {
            g.writeString(s);
          }
          g.writeEndArray();
          g.writeEndObject();
        }
        g.writeEndArray();
      });
      return ExitCode.OK;
    }
    for (BackendInfo b : backends) {
      out.println(b.name() + "  " + (b.isAvailable() ? "available" : "UNAVAILABLE: "
          + b.unavailabilityCause().orElseThrow()));
      out.println("  security level: " + b.securityLevel().id() + " — " + b.summary());
      out.println("  protects against:");
      b.protectsAgainst().forEach(s -> out.println("    - " + s));
      out.println("  does NOT protect against:");
      b.doesNotProtectAgainst().forEach(s -> out.println("    - " + s));
      out.println();
    }
    out.flush();
    return ExitCode.OK;
  }
}
