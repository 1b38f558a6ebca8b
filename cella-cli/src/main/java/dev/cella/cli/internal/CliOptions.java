package dev.cella.cli.internal;

import java.nio.file.Path;
import java.util.Locale;

/** Validation of options that several commands share. */
final class CliOptions {
  private CliOptions() {}

  /** A backend name as given on the command line, checked. */
  static String backendName(String name) {
    String lower = name.strip().toLowerCase(Locale.ROOT);
    if (!lower.matches("[a-z][a-z0-9-]{0,31}")) {
      throw CliException.usage("not a backend name: '" + name + "' (see `cella backends`)");
    }
    return lower;
  }

  /** The enclave name a command uses for a bundle file: its file name without the extension. */
  static String enclaveName(Path bundle) {
    String file = bundle.getFileName().toString();
    String base = file.endsWith(".cella") ? file.substring(0, file.length() - 6) : file;
    String cleaned = base.replaceAll("[^A-Za-z0-9._-]", "-");
    if (cleaned.isEmpty() || !Character.isLetterOrDigit(cleaned.charAt(0))) {
      cleaned = "enclave" + cleaned;
    }
    return cleaned.length() > 64 ? cleaned.substring(0, 64) : cleaned;
  }
}
