package dev.cella.protocol.codec.internal;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Names of methods computed from their text only, never from class identity or declaration
 * order: host and enclave load the same interface through different class loaders and must agree.
 */
public final class Signatures {
  private Signatures() {}

  /**
   * The canonical signature: name, erased parameter types and erased result type, by binary name,
   * e.g. {@code sign(byte[],java.lang.String)com.example.Signature}.
   */
  public static String canonical(Method m) {
    StringBuilder s = new StringBuilder(m.getName()).append('(');
    Class<?>[] params = m.getParameterTypes();
    for (int i = 0; i < params.length; i++) {
      s.append(i == 0 ? "" : ",").append(params[i].getTypeName());
    }
    return s.append(')').append(m.getReturnType().getTypeName()).toString();
  }

  /** The method id: the first 8 bytes of SHA-256 of the canonical signature, big-endian. */
  public static long id(String canonicalSignature) {
    byte[] h = sha256(canonicalSignature);
    long id = 0;
    for (int i = 0; i < 8; i++) {
      id = (id << 8) | (h[i] & 0xFF);
    }
    return id;
  }

  /** A label for messages: {@code SignerService.sign(byte[], String)}. */
  public static String label(Class<?> iface, Method m) {
    StringBuilder s = new StringBuilder(iface.getSimpleName()).append('.').append(m.getName());
    s.append('(');
    Class<?>[] params = m.getParameterTypes();
    for (int i = 0; i < params.length; i++) {
      s.append(i == 0 ? "" : ", ").append(params[i].getSimpleName());
    }
    return s.append(')').toString();
  }

  /** SHA-256 of the UTF-8 bytes of {@code text}. */
  public static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
