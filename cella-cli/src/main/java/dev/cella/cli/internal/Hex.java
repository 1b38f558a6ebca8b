package dev.cella.cli.internal;

import dev.cella.Bytes;

/** Hex options of the command line. */
final class Hex {
  private Hex() {}

  /** Parses {@code value} of option {@code option}, as a usage error when it is not hex. */
  static Bytes parse(String option, String value) {
    try {
      return Bytes.fromHex(value.strip());
    } catch (IllegalArgumentException e) {
      throw CliException.usage(option + " takes hex digits: " + e.getMessage());
    }
  }
}
