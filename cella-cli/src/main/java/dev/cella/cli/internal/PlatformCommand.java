package dev.cella.cli.internal;

import dev.cella.PlatformKind;
import dev.cella.attestation.platform.SoftwarePlatform;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cella platform export-root [--backend B]}: a software platform's root certificate. */
@Command(name = "platform", description = "Work with Cella's software platforms.",
    subcommands = PlatformCommand.ExportRoot.class,
    footer = {"", "Example:", "  cella platform export-root --backend sim > sim-root.pem"})
public final class PlatformCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin HelpOption help;

  @Override
  public Integer call() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
        "missing command: give export-root");
  }

  /** Prints the root certificate (PEM) that verifiers trust for evidence of this platform. */
  @Command(name = "export-root",
      description = {"Print the root certificate (PEM) of a software platform's key, created on",
          "first use under $CELLA_HOME. A verifier trusts it with root=FILE in its policy."},
      footer = {"", "Example:", "  cella platform export-root --backend sim > sim-root.pem"})
  static final class ExportRoot implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin HelpOption help;

    @Option(names = "--backend", paramLabel = "B", defaultValue = "sim",
        description = "The backend whose platform: sim, process or vm (default: sim).")
    String backend;

    @Override
    public Integer call() {
      PlatformKind kind;
      try {
        kind = PlatformKind.fromId(CliOptions.backendName(backend));
      } catch (IllegalArgumentException e) {
        throw CliException.usage(e.getMessage());
      }
      if (!kind.isSoftware()) {
        throw CliException.usage(kind.id() + " is a hardware platform: its roots are the CPU "
            + "vendor's, not Cella's");
      }
      try (SoftwarePlatform platform =
               SoftwarePlatform.open(kind, SoftwarePlatform.defaultDirectory(kind))) {
        spec.commandLine().getOut().print(platform.rootCertificatePem());
      }
      spec.commandLine().getOut().flush();
      return ExitCode.OK;
    }
  }
}
