package dev.cella.attestation;

import dev.cella.EnclaveIdentity;
import dev.cella.Measurement;
import dev.cella.PlatformKind;
import dev.cella.SignerId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;

/** Identities, bindings and runtime facts shared by the attestation tests. */
public final class Fixtures {
  public static final Map<String, String> FACTS =
      Map.of("jdk-version", "25.0.1+8-LTS", "backend-version", "0.1.0-SNAPSHOT");

  private Fixtures() {}

  public static byte[] sha384(String text) {
    try {
      return MessageDigest.getInstance("SHA-384").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  public static Measurement measurement(String name) {
    return Measurement.of(sha384("bundle " + name));
  }

  public static SignerId signer(String name) {
    return SignerId.of(sha384("signer " + name));
  }

  public static EnclaveIdentity identity(PlatformKind kind) {
    return identity(kind, 7, false);
  }

  public static EnclaveIdentity identity(PlatformKind kind, int svn, boolean debug) {
    return new EnclaveIdentity(measurement("app"), signer("acme"), 42, svn, debug, kind);
  }

  public static byte[] bytes(int length, int seed) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (seed + 31 * i);
    }
    return bytes;
  }

  public static byte[] nonce() {
    return bytes(32, 1);
  }

  public static byte[] reportData() {
    return bytes(64, 2);
  }
}
