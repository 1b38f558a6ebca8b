package dev.cella.cli.internal;

import picocli.CommandLine.Option;

/** {@code -h}/{@code --help} for a command: add {@code @Mixin HelpOption help;} to every command. */
public final class HelpOption {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;
}
