package dev.cella.maven.internal;

import dev.cella.bundle.BundleSigningKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * Where the {@code bundle} goal's signing key comes from: a PKCS#8 PEM file, or an environment
 * variable holding the PEM text (for CI systems that hand secrets over as variables). The key is
 * never logged; the caller closes it.
 *
 * <p>Stateless and thread-safe.
 */
public final class SigningKeys {
  private SigningKeys() {}

  /**
   * Reads the key from {@code file}.
   *
   * @throws InvalidKeyException naming the file and what is wrong with it
   */
  public static BundleSigningKey fromFile(Path file) throws IOException, InvalidKeyException {
    if (!Files.isRegularFile(file)) {
      throw new InvalidKeyException("the signing key file " + file + " does not exist; make one with"
          + " mvn dev.cella:cella-maven-plugin:keygen -Dcella.keyFile=" + file);
    }
    return BundleSigningKey.readPem(file);
  }

  /**
   * Reads the key from the environment variable {@code name}, looked up with {@code env}.
   *
   * @throws InvalidKeyException if the variable is unset or empty, or holds no usable key
   */
  public static BundleSigningKey fromEnvironment(String name, UnaryOperator<String> env)
      throws InvalidKeyException {
    String value = env.apply(name);
    if (value == null || value.isBlank()) {
      throw new InvalidKeyException("the environment variable " + name + " that should hold the"
          + " signing key (PKCS#8 PEM text) is " + (value == null ? "not set" : "empty"));
    }
    byte[] pem = value.getBytes(StandardCharsets.US_ASCII);
    try {
      return BundleSigningKey.fromPem(pem, "environment variable " + name);
    } finally {
      Arrays.fill(pem, (byte) 0);
    }
  }
}
