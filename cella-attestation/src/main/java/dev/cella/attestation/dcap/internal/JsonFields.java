package dev.cella.attestation.dcap.internal;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Typed, failing accessors on a {@link Json} object, with the path in every message. */
final class JsonFields {
  private final Map<?, ?> map;
  private final String path;

  JsonFields(Object value, String path) throws IOException {
    if (!(value instanceof Map<?, ?> m)) {
      throw new IOException(path + " is not a JSON object");
    }
    this.map = m;
    this.path = path;
  }

  boolean has(String key) {
    return map.containsKey(key);
  }

  Object raw(String key) throws IOException {
    Object v = map.get(key);
    if (v == null) {
      throw new IOException(path + " has no '" + key + "'");
    }
    return v;
  }

  String string(String key) throws IOException {
    if (raw(key) instanceof String s) {
      return s;
    }
    throw new IOException(path + "." + key + " is not a string");
  }

  Optional<String> optionalString(String key) throws IOException {
    return has(key) ? Optional.of(string(key)) : Optional.empty();
  }

  long number(String key) throws IOException {
    if (raw(key) instanceof Long l) {
      return l;
    }
    throw new IOException(path + "." + key + " is not an integer");
  }

  /** An integer in {@code [0, max]}. */
  int bounded(String key, int max) throws IOException {
    long v = number(key);
    if (v < 0 || v > max) {
      throw new IOException(path + "." + key + " = " + v + " is not 0 to " + max);
    }
    return (int) v;
  }

  Instant instant(String key) throws IOException {
    try {
      return Instant.parse(string(key));
    } catch (DateTimeParseException e) {
      throw new IOException(path + "." + key + " is not an ISO-8601 instant", e);
    }
  }

  /** Hex of exactly {@code length} bytes. */
  byte[] hex(String key, int length) throws IOException {
    String s = string(key);
    try {
      byte[] b = HexFormat.of().parseHex(s);
      if (b.length != length) {
        throw new IOException(path + "." + key + " has " + b.length + " bytes, not " + length);
      }
      return b;
    } catch (IllegalArgumentException e) {
      throw new IOException(path + "." + key + " is not hex", e);
    }
  }

  JsonFields object(String key) throws IOException {
    return new JsonFields(raw(key), path + "." + key);
  }

  List<?> list(String key) throws IOException {
    if (raw(key) instanceof List<?> l) {
      return l;
    }
    throw new IOException(path + "." + key + " is not an array");
  }

  List<String> strings(String key) throws IOException {
    if (!has(key)) {
      return List.of();
    }
    List<?> l = list(key);
    for (Object o : l) {
      if (!(o instanceof String)) {
        throw new IOException(path + "." + key + " holds a non-string");
      }
    }
    return l.stream().map(String.class::cast).toList();
  }

  String path() {
    return path;
  }
}
