package dev.cella.cli.internal;

import dev.cella.bundle.BundleSigningKey;
import dev.cella.bundle.SignerKeys;
import java.io.IOException;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.interfaces.ECPublicKey;

/** Reading keys in commands, with the CLI's messages. */
public final class CliKeys {
  private CliKeys() {}

  /** The signing key in {@code file}; the caller closes it. */
  public static BundleSigningKey readSigningKey(Path file) {
    CliFiles.requireFile(file, "key file");
    try {
      return BundleSigningKey.readPem(file);
    } catch (InvalidKeyException e) {
      throw CliException.failure(e.getMessage(), e);
    } catch (IOException e) {
      throw CliException.failure("cannot read the key " + file + ": " + ErrorHandler.message(e), e);
    }
  }

  /** The signer's public key from a certificate or public key PEM file. */
  public static ECPublicKey readSignerKey(Path file) {
    CliFiles.requireFile(file, "signer certificate");
    try {
      return SignerKeys.readPublicKeyPem(file);
    } catch (InvalidKeyException e) {
      throw CliException.failure(e.getMessage(), e);
    } catch (IOException e) {
      throw CliException.failure("cannot read " + file + ": " + ErrorHandler.message(e), e);
    }
  }
}
