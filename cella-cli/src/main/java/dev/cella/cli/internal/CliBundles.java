package dev.cella.cli.internal;

import dev.cella.bundle.Bundle;
import dev.cella.bundle.InvalidBundleException;
import dev.cella.bundle.UnsignedBundle;
import java.io.IOException;
import java.nio.file.Path;

/** Opening bundles in commands, with the CLI's messages and exit statuses. */
public final class CliBundles {
  private CliBundles() {}

  /** The verified bundle in {@code file}; a refusal exits 3 (signature) or 1 (structure). */
  public static Bundle openVerified(Path file) {
    CliFiles.requireFile(file, "bundle");
    try {
      return Bundle.open(file);
    } catch (InvalidBundleException e) {
      throw CliException.bundle(file, e);
    } catch (IOException e) {
      throw CliException.failure("cannot read the bundle " + file + ": " + ErrorHandler.message(e), e);
    }
  }

  /** The bundle in {@code file} for signing (its signature, if any, is ignored). */
  public static UnsignedBundle openForSigning(Path file) {
    CliFiles.requireFile(file, "bundle");
    try {
      return UnsignedBundle.open(file);
    } catch (InvalidBundleException e) {
      throw CliException.bundle(file, e);
    } catch (IOException e) {
      throw CliException.failure("cannot read the bundle " + file + ": " + ErrorHandler.message(e), e);
    }
  }
}
