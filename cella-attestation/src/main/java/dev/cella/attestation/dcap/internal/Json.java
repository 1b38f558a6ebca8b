package dev.cella.attestation.dcap.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON tree over jackson-core's streaming parser: objects are maps (in order), arrays
 * lists, numbers longs (or BigIntegers/Doubles), strings, booleans; {@link #NULL} for null.
 * Duplicate keys are refused, so no two readers of the same signed text can see different values.
 *
 * <p>Stateless and thread-safe.
 */
public final class Json {
  /** JSON null. */
  public static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "null";
    }
  };
  private static final int MAX_DEPTH = 32;
  static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  private Json() {}

  /** Parses one JSON document of UTF-8 {@code data}; nothing may follow it. */
  public static Object parse(byte[] data) throws IOException {
    try (JsonParser p = FACTORY.createParser(data)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new IOException("empty JSON");
      }
      Object value = read(p, first, 0);
      if (p.nextToken() != null) {
        throw new IOException("data after the JSON value at byte "
            + p.currentTokenLocation().getByteOffset());
      }
      return value;
    }
  }

  private static Object read(JsonParser p, JsonToken t, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new IOException("JSON nested deeper than " + MAX_DEPTH);
    }
    switch (t) {
      case START_OBJECT: {
        Map<String, Object> map = new LinkedHashMap<>();
        for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
          String name = p.currentName();
          map.put(name, read(p, p.nextToken(), depth + 1));
        }
        return Collections.unmodifiableMap(map);
      }
      case START_ARRAY: {
        List<Object> list = new ArrayList<>();
        for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
          list.add(read(p, v, depth + 1));
        }
        return Collections.unmodifiableList(list);
      }
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
        return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getBigIntegerValue()
            : p.getLongValue();
      case VALUE_NUMBER_FLOAT:
        return p.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return NULL;
      default:
        throw new IOException("unexpected JSON token " + t);
    }
  }
}
