package dev.cella.cli.internal;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code cella completion}: prints a bash (and zsh) completion script for every command and option. */
@Command(name = "completion",
    description = {"Print a bash completion script for cella: its commands, their options and",
        "file arguments. It also works in zsh after 'autoload -U +X bashcompinit && bashcompinit'."},
    footer = {"", "Examples:",
        "  source <(./cella completion)                      # this shell only",
        "  ./cella completion > ~/.local/share/bash-completion/completions/cella"})
public final class CompletionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin HelpOption help;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    out.print(AutoComplete.bash("cella", spec.root().commandLine()));
    out.flush();
    return ExitCode.OK;
  }
}
