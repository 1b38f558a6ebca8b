package dev.cella.bundle.internal;

import java.math.BigInteger;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Typed, strict access to one JSON object of a {@link JsonTree}, with field paths in every error
 * ({@code limits.threads}, {@code services[2].interface}). Errors are {@link FieldException}s.
 */
public final class JsonFields {

  /** A field is missing, unknown, of the wrong type or out of range. */
  public static final class FieldException extends Exception {
    private static final long serialVersionUID = 1L;

    public FieldException(String message) {
      super(message);
    }
  }

  private final String path;
  private final Map<String, Object> object;

  private JsonFields(String path, Map<String, Object> object) {
    this.path = path;
    this.object = object;
  }

  /** Fields of the root object. */
  public static JsonFields root(Map<String, Object> object) {
    return new JsonFields("", object);
  }

  /** Refuses any key not in {@code known}, naming it. */
  public JsonFields allowOnly(Set<String> known) throws FieldException {
    for (String key : object.keySet()) {
      if (!known.contains(key)) {
        throw new FieldException("unknown field '" + name(key) + "' (known fields"
            + (path.isEmpty() ? "" : " of '" + path + "'") + ": " + String.join(", ", known) + ")");
      }
    }
    return this;
  }

  /** Whether {@code key} is present. */
  public boolean has(String key) {
    return object.containsKey(key);
  }

  /** The keys present, in document order. */
  public Set<String> keys() {
    return object.keySet();
  }

  /** A required string. */
  public String string(String key) throws FieldException {
    return asString(name(key), require(key));
  }

  /** A required integer in {@code [min, max]}. */
  public int integer(String key, long min, long max) throws FieldException {
    return asInteger(name(key), require(key), min, max);
  }

  /** A required boolean. */
  public boolean bool(String key) throws FieldException {
    Object v = require(key);
    if (!(v instanceof Boolean b)) {
      throw wrongType(name(key), "a boolean (true or false)", v);
    }
    return b;
  }

  /** Base64 (RFC 4648, with padding, no line breaks) decoded. */
  public byte[] base64(String key) throws FieldException {
    String text = string(key);
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new FieldException("field '" + name(key) + "' must be base64 (RFC 4648 with padding): "
          + e.getMessage());
    }
  }

  /** A required nested object. */
  @SuppressWarnings("unchecked")
  public JsonFields object(String key) throws FieldException {
    Object v = require(key);
    if (!(v instanceof Map)) {
      throw wrongType(name(key), "an object", v);
    }
    return new JsonFields(name(key), (Map<String, Object>) v);
  }

  /** A required array of objects, at most {@code maxSize} long. */
  @SuppressWarnings("unchecked")
  public List<JsonFields> objects(String key, int maxSize) throws FieldException {
    Object v = require(key);
    if (!(v instanceof List<?> list)) {
      throw wrongType(name(key), "an array", v);
    }
    if (list.size() > maxSize) {
      throw new FieldException("field '" + name(key) + "' has " + list.size()
          + " elements; at most " + maxSize + " are allowed");
    }
    List<JsonFields> out = new java.util.ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      String element = name(key) + "[" + i + "]";
      if (!(list.get(i) instanceof Map)) {
        throw wrongType(element, "an object", list.get(i));
      }
      out.add(new JsonFields(element, (Map<String, Object>) list.get(i)));
    }
    return out;
  }

  /** A required array of strings, at most {@code maxSize} long. */
  public List<String> strings(String key, int maxSize) throws FieldException {
    Object v = require(key);
    if (!(v instanceof List<?> list)) {
      throw wrongType(name(key), "an array", v);
    }
    if (list.size() > maxSize) {
      throw new FieldException("field '" + name(key) + "' has " + list.size()
          + " elements; at most " + maxSize + " are allowed");
    }
    List<String> out = new java.util.ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      out.add(asString(name(key) + "[" + i + "]", list.get(i)));
    }
    return out;
  }

  /** A {@link FieldException} for field {@code key} of this object. */
  public FieldException invalid(String key, String problem) {
    return new FieldException("field '" + name(key) + "' " + problem);
  }

  private Object require(String key) throws FieldException {
    if (!object.containsKey(key)) {
      throw new FieldException("field '" + name(key) + "' is missing");
    }
    return object.get(key);
  }

  private String name(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  static String asString(String field, Object v) throws FieldException {
    if (!(v instanceof String s)) {
      throw wrongType(field, "a string", v);
    }
    return s;
  }

  static int asInteger(String field, Object v, long min, long max) throws FieldException {
    if (!(v instanceof BigInteger n)) {
      throw wrongType(field, v instanceof JsonTree.Decimal ? "an integer (no fraction or exponent)"
          : "an integer", v);
    }
    if (n.compareTo(BigInteger.valueOf(min)) < 0 || n.compareTo(BigInteger.valueOf(max)) > 0) {
      throw new FieldException("field '" + field + "' must be " + min + " to " + max + ", got " + n);
    }
    return n.intValueExact();
  }

  private static FieldException wrongType(String field, String expected, Object v) {
    String got = v instanceof JsonTree.Decimal d ? "the number " + d.text() : JsonTree.typeOf(v);
    return new FieldException("field '" + field + "' must be " + expected + ", got " + got);
  }
}
