package dev.cella.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CompletionCommandTest extends CliTestBase {
  private String bash(String script) throws Exception {
    // stderr is dropped: outside a real completion, bash's compopt complains harmlessly.
    Process p = new ProcessBuilder("bash", "-c", script)
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    return out.strip();
  }

  @Test
  void completion_printsABashScriptForEveryCommand() throws Exception {
    String script = ok(Cli.run("completion")).out();
    assertThat(script).contains("complete -F _complete_cella").contains("keygen").contains("package")
        .contains("--import-signature");
    Path file = Files.writeString(dir.resolve("cella.bash"), script);
    bash("bash -n " + file);
  }

  @Test
  void completion_script_completesCommandsAndOptions() throws Exception {
    Path file = Files.writeString(dir.resolve("cella.bash"), ok(Cli.run("completion")).out());
    String complete = "source " + file + "; COMP_WORDS=(%s); COMP_CWORD=%d; COMP_LINE=\"%s\";"
        + " COMP_POINT=${#COMP_LINE}; _complete_cella; printf '%%s\\n' \"${COMPREPLY[@]}\"";
    assertThat(bash(String.format(complete, "cella pa", 1, "cella pa"))).isEqualTo("package");
    assertThat(bash(String.format(complete, "cella sign --imp", 2, "cella sign --imp")))
        .isEqualTo("--import-signature");
  }
}
