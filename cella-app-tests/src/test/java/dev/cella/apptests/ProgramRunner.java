package dev.cella.apptests;

import dev.cella.Enclave;
import dev.cella.EnclaveOptions;
import dev.cella.ProgramExit;
import dev.cella.ProgramIo;
import dev.cella.host.EnclaveManager;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Loads an application bundle on the process backend, runs its program once, captures stdio. */
final class ProgramRunner {
  /** What one run of a program did. */
  record Run(ProgramExit exit, String stdout, String stderr) {}

  private ProgramRunner() {}

  static Run run(Path home, Path bundle, String stdin, List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ProgramIo io = new ProgramIo(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        out, err);
    EnclaveOptions options = EnclaveOptions.builder().backend("process").programIo(io).build();
    try (EnclaveManager manager = EnclaveManager.create(
            List.of(new dev.cella.backend.process.ProcessBackend()), home);
         Enclave enclave = manager.load("app", bundle, options)) {
      ProgramExit exit = enclave.runProgram(args);
      return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
  }
}
