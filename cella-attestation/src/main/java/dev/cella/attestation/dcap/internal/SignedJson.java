package dev.cella.attestation.dcap.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The top level of a collateral JSON file, read without re-serialising anything: the byte span
 * of each object value (for Intel PCS bodies, {@code {"tcbInfo":{...},"signature":"..."}}, the
 * span is exactly what Intel signed) and each string value.
 *
 * @param objects top-level key to the exact bytes of its object value
 * @param strings top-level key to its string value
 */
record SignedJson(Map<String, byte[]> objects, Map<String, String> strings) {

  /** Scans {@code data}; fails if it is not one JSON object. */
  static SignedJson scan(byte[] data) throws IOException {
    Map<String, byte[]> objects = new HashMap<>();
    Map<String, String> strings = new HashMap<>();
    try (JsonParser p = Json.FACTORY.createParser(data)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("not a JSON object");
      }
      for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (value == JsonToken.START_OBJECT) {
          long start = p.currentTokenLocation().getByteOffset();
          p.skipChildren();
          long end = p.currentTokenLocation().getByteOffset() + 1;
          if (start < 0 || end > data.length || start >= end) {
            throw new IOException("cannot locate the bytes of '" + name + "'");
          }
          objects.put(name, Arrays.copyOfRange(data, (int) start, (int) end));
        } else if (value == JsonToken.VALUE_STRING) {
          strings.put(name, p.getText());
        } else {
          p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        throw new IOException("data after the JSON object");
      }
    }
    return new SignedJson(Map.copyOf(objects), Map.copyOf(strings));
  }
}
