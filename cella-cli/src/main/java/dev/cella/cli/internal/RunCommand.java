package dev.cella.cli.internal;

import dev.cella.Enclave;
import dev.cella.EnclaveException;
import dev.cella.EnclaveOptions;
import dev.cella.ProgramExit;
import dev.cella.ProgramIo;
import dev.cella.SecurityLevel;
import java.util.ArrayList;
import java.util.List;
import dev.cella.host.EnclaveManager;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cella run FILE.cella [--backend B] [--input TEXT | --input-file F] [--out F]}, and for
 * an application bundle {@code cella run FILE.cella [--backend B] [-- ARGS]}.
 */
@Command(name = "run",
    description = {"Load a bundle as an enclave, initialize it, run it once with the input,",
        "finish it, and print its output. An application bundle (cella package --main-class)",
        "runs its program instead: ARGS after -- follow the manifest's arguments, the program's",
        "stdin, stdout and stderr are this command's, and its exit status is this command's."},
    footer = {"", "Examples:", "  cella run greeter.cella --input world",
        "  cella run h2.cella --backend process -- -url jdbc:h2:nio:/data/db -sql 'SELECT 1'"})
public final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin HelpOption help;

  @Parameters(index = "0", paramLabel = "FILE.cella", description = "The signed bundle.")
  Path bundle;

  @Option(names = "--backend", paramLabel = "B",
      description = "The backend (default: $CELLA_BACKEND, else sim). See `cella backends`.")
  String backend;

  @ArgGroup(exclusive = true)
  Input input;

  static final class Input {
    @Option(names = "--input", paramLabel = "TEXT", description = "The input, as UTF-8 text.")
    String text;

    @Option(names = "--input-file", paramLabel = "F", description = "The input, read from a file.")
    Path file;
  }

  @Parameters(index = "1..*", paramLabel = "ARGS",
      description = "For an application bundle: the program's arguments (after --).")
  List<String> programArgs = new ArrayList<>();

  @Option(names = "--out", paramLabel = "F",
      description = "Write the output to this file instead of stdout (needed for binary output).")
  Path out;

  private String insecureBackend;
  /** Held so that its level sticks (JUL keeps loggers weakly). */
  private static final java.util.logging.Logger PROCESS_EXIT_LOG =
      java.util.logging.Logger.getLogger("dev.cella.backend.process.ProcessConnection");

  @Override
  public Integer call() {
    int status = runOnce();
    if (insecureBackend != null) {
      spec.commandLine().getErr().println("cella: note: backend '" + insecureBackend
          + "' isolates nothing (development only)");
      spec.commandLine().getErr().flush();
    }
    return status;
  }

  private int runOnce() {
    CliFiles.requireFile(bundle, "bundle");
    byte[] in = input == null ? new byte[0]
        : input.file != null ? CliFiles.read(input.file, "input")
        : input.text.getBytes(StandardCharsets.UTF_8);
    EnclaveOptions.Builder options = EnclaveOptions.builder();
    if (backend != null) {
      options.backend(CliOptions.backendName(backend));
    }
    boolean application = isApplication(bundle);
    if (application && (input != null || out != null)) {
      throw CliException.usage("--input, --input-file and --out are for TrustedApplication"
          + " bundles; an application bundle's program reads stdin and writes stdout itself");
    }
    if (!application && !programArgs.isEmpty()) {
      throw CliException.usage("arguments after the bundle (" + programArgs.get(0)
          + ") are for application bundles only; give the input with --input or --input-file");
    }
    byte[] output;
    options.programIo(ProgramIo.inherit());
    try (EnclaveManager manager = EnclaveManager.create();
         Enclave enclave = manager.load(CliOptions.enclaveName(bundle), bundle, options.build())) {
      if (enclave.backend().securityLevel() == SecurityLevel.NONE) {
        insecureBackend = enclave.backend().name();
      }
      if (application) {
        return runProgram(enclave);
      }
      output = enclave.run(in);
      enclave.finish(new byte[0]);
    } catch (EnclaveException e) {
      throw CliEnclaves.failure(bundle, e);
    }
    if (out != null) {
      CliFiles.writeAtomically(out, output);
      return ExitCode.OK;
    }
    spec.commandLine().getOut().print(CliEnclaves.printable(utf8OrRefuse(output)));
    spec.commandLine().getOut().flush();
    return ExitCode.OK;
  }

  /** Runs an application bundle's program; its exit status becomes this command's. */
  private int runProgram(Enclave enclave) {
    var err = spec.commandLine().getErr();
    // A program's System.exit ends the enclave's process: expected here, not worth a warning
    // (a crash still fails runProgram with the process's exit status, which is reported).
    PROCESS_EXIT_LOG.setLevel(java.util.logging.Level.SEVERE);
    System.out.flush();
    ProgramExit exit = enclave.runProgram(programArgs);
    System.out.flush();
    System.err.flush();
    if (exit.how() == ProgramExit.How.EXITED) {
      // The enclave's JVM has ended; closing it must not report that as a crash.
      enclave.close();
    } else {
      enclave.finish(new byte[0]);
    }
    exit.hint().ifPresent(h -> err.println("cella: hint: " + CliEnclaves.printable(h)));
    err.flush();
    return exit.status();
  }

  /** Whether the bundle is an application bundle; a bundle that does not open fails the load. */
  private static boolean isApplication(Path bundle) {
    try {
      return dev.cella.bundle.Bundle.open(bundle).manifest().application().isPresent();
    } catch (java.io.IOException | dev.cella.bundle.InvalidBundleException e) {
      return false; // EnclaveManager.load reports why, as for every bundle.
    }
  }

  private static String utf8OrRefuse(byte[] output) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(output)).toString();
    } catch (CharacterCodingException e) {
      throw CliException.failure("the enclave's output is " + output.length
          + " bytes of binary data, not text; write it to a file with --out F");
    }
  }
}
