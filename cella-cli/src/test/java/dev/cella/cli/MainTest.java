package dev.cella.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class MainTest extends CliTestBase {
  @Test
  void noCommand_isAUsageError() {
    fails(Cli.run(), 2, "missing command");
  }

  @Test
  void unknownCommand_isAUsageError() {
    fails(Cli.run("frobnicate"), 2, "frobnicate");
  }

  @Test
  void unknownGlobalOption_isAUsageError() {
    fails(Cli.run("--colour", "keygen"), 2, "--colour");
  }

  @Test
  void help_printsUsageToStdout() {
    Cli.Result r = ok(Cli.run("--help"));
    assertThat(r.out()).contains("Usage: cella").contains("keygen").contains("package")
        .contains("sign").contains("inspect").contains("--verbose");
  }

  @ParameterizedTest
  @ValueSource(strings = {"keygen", "package", "sign", "inspect", "run", "backends", "demo",
      "completion", "attest", "verify", "platform"})
  void everyCommand_hasHelpWithAWorkedExample(String command) {
    Cli.Result r = ok(Cli.run(command, "--help"));
    assertThat(r.out()).contains("Usage: cella " + command).contains("--verbose").contains("-h, --help")
        .containsPattern("Examples?:\\R(  .*\\R)*?  .*cella " + command + "\\b");
    assertThat(ok(Cli.run("help", command)).out()).isEqualTo(r.out());
  }

  @Test
  void everyCommand_isCoveredByTheHelpTest() {
    assertThat(new picocli.CommandLine(new Main()).getSubcommands().keySet())
        .containsExactlyInAnyOrder("keygen", "package", "sign", "inspect", "run", "backends", "demo",
            "completion", "attest", "verify", "platform", "help");
  }

  @Test
  void version_isPrinted() {
    assertThat(ok(Cli.run("--version")).out()).startsWith("cella ");
  }
}
