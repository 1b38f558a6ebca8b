package dev.cella.cli.internal;

import dev.cella.Enclave;
import dev.cella.EnclaveException;
import dev.cella.EnclaveOptions;
import dev.cella.SecurityLevel;
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

/** {@code cella run FILE.cella [--backend B] [--input TEXT | --input-file F] [--out F]}. */
@Command(name = "run",
    description = {"Load a bundle as an enclave, initialize it, run it once with the input,",
        "finish it, and print its output."},
    footer = {"", "Example:", "  cella run greeter.cella --input world"})
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

  @Option(names = "--out", paramLabel = "F",
      description = "Write the output to this file instead of stdout (needed for binary output).")
  Path out;

  private String insecureBackend;

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
    byte[] output;
    try (EnclaveManager manager = EnclaveManager.create();
         Enclave enclave = manager.load(CliOptions.enclaveName(bundle), bundle, options.build())) {
      if (enclave.backend().securityLevel() == SecurityLevel.NONE) {
        insecureBackend = enclave.backend().name();
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
