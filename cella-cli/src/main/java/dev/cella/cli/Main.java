package dev.cella.cli;

import dev.cella.cli.internal.AttestCommand;
import dev.cella.cli.internal.BackendsCommand;
import dev.cella.cli.internal.CompletionCommand;
import dev.cella.cli.internal.DemoCommand;
import dev.cella.cli.internal.ErrorHandler;
import dev.cella.cli.internal.InspectCommand;
import dev.cella.cli.internal.KeygenCommand;
import dev.cella.cli.internal.PackageCommand;
import dev.cella.cli.internal.PlatformCommand;
import dev.cella.cli.internal.RunCommand;
import dev.cella.cli.internal.SignCommand;
import dev.cella.cli.internal.VerifyCommand;
import dev.cella.cli.internal.Versions;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code cella} command line. Every command is a picocli {@code @Command} class listed in
 * {@code subcommands} below: adding a command is one class plus one entry there. Exit statuses:
 * 0 success, 1 failure, 2 usage error, 3 verification refused; errors are one line on stderr.
 *
 * <p>Example: {@code int status = Main.run(new String[] {"inspect", "app.cella"}, System.out,
 * System.err);}
 *
 * <p>Each call of {@link #run} builds its own command objects, so calls are independent; it is
 * not meant to be called from several threads at once (commands read global system properties).
 */
@Command(
    name = "cella",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Build, sign, inspect and run Cella enclave bundles.",
    footer = {"", "Examples:",
        "  cella keygen --out signing-key.pem",
        "  cella package --jar app.jar --entry com.example.App \\",
        "      --key signing-key.pem --out app.cella",
        "  cella run app.cella --input world",
        "  cella help package",
        "", "Exit status: 0 success, 1 failure, 2 usage error, 3 verification refused."},
    subcommands = {
        KeygenCommand.class,
        PackageCommand.class,
        SignCommand.class,
        InspectCommand.class,
        RunCommand.class,
        BackendsCommand.class,
        AttestCommand.class,
        VerifyCommand.class,
        PlatformCommand.class,
        DemoCommand.class,
        CompletionCommand.class,
        CommandLine.HelpCommand.class,
    })
public final class Main implements Callable<Integer> {

  @Spec CommandSpec spec;

  /** Read by {@link ErrorHandler} from the arguments; declared here so every command documents it. */
  @Option(names = "--verbose", scope = ScopeType.INHERIT,
      description = "On failure, print the stack trace too.")
  boolean verbose;

  /** Runs the command line and exits the JVM with its status. */
  public static void main(String[] args) {
    // Library warnings (insecure modes, leaked enclaves) as one line each, in the CLI's voice.
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", "cella: %4$s: %5$s%6$s%n");
    }
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command line with {@code out} and {@code err}, returning the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    CommandLine cmd = new CommandLine(new Main());
    ErrorHandler handler = new ErrorHandler();
    cmd.setOut(new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true));
    cmd.setErr(new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true));
    cmd.setExecutionExceptionHandler(handler);
    cmd.setParameterExceptionHandler(handler);
    int status = cmd.execute(args);
    cmd.getOut().flush();
    cmd.getErr().flush();
    return status;
  }

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(),
        "missing command: give one of " + String.join(", ", spec.subcommands().keySet()));
  }

  /** The version printed by {@code cella --version}: from the CLI jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"cella " + Versions.of(Main.class)};
    }
  }
}
