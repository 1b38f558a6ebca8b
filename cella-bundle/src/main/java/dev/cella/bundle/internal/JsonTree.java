package dev.cella.bundle.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON reader for Cella's small JSON files (manifest, signature): one root object,
 * duplicate keys refused (Jackson's STRICT_DUPLICATE_DETECTION), no trailing content, no comments.
 * The result is a plain tree of {@code Map<String, Object>} (insertion order), {@code List<Object>},
 * {@code String}, {@code BigInteger}, {@link Decimal}, {@code Boolean} and {@link #NULL}.
 */
public final class JsonTree {
  /** The JSON {@code null}. */
  public static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "null";
    }
  };

  /** A JSON number with a fraction or exponent, kept as its text. */
  public record Decimal(String text) {}

  /** The JSON text is not one well-formed JSON object. */
  public static final class SyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    SyntaxException(String message) {
      super(message);
    }
  }

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(16).maxNumberLength(64).maxStringLength(16 << 20).build())
      .build();

  private JsonTree() {}

  /** The shared factory for writing Cella's JSON files. */
  public static JsonFactory factory() {
    return FACTORY;
  }

  /** Parses {@code json}, which must hold exactly one JSON object. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parseObject(byte[] json) throws SyntaxException {
    try (JsonParser p = FACTORY.createParser(json)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new SyntaxException("is empty");
      }
      if (first != JsonToken.START_OBJECT) {
        throw new SyntaxException("must be a JSON object, starts with " + describe(first));
      }
      Object root = value(p, first);
      JsonToken after = p.nextToken();
      if (after != null) {
        throw new SyntaxException("has content after the JSON object ("
            + describe(after) + " at line " + p.currentLocation().getLineNr() + ")");
      }
      return (Map<String, Object>) root;
    } catch (JsonProcessingException e) {
      // A broken read constraint (nesting, number length) comes without a location.
      JsonLocation at = e.getLocation();
      throw new SyntaxException("is not valid JSON"
          + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
          + ": " + e.getOriginalMessage());
    } catch (CharConversionException e) {
      // Not a JsonProcessingException: Jackson's UTF-16/32 readers report undecodable text so.
      throw new SyntaxException("is not valid Unicode text: " + e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException("reading JSON from memory failed", e);
    }
  }

  private static Object value(JsonParser p, JsonToken t) throws IOException {
    return switch (t) {
      case START_OBJECT -> {
        Map<String, Object> map = new LinkedHashMap<>();
        for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
          map.put(key, value(p, p.nextToken()));
        }
        yield map;
      }
      case START_ARRAY -> {
        List<Object> list = new ArrayList<>();
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
          list.add(value(p, e));
        }
        yield list;
      }
      case VALUE_STRING -> p.getText();
      case VALUE_NUMBER_INT -> p.getBigIntegerValue();
      case VALUE_NUMBER_FLOAT -> new Decimal(p.getText());
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> NULL;
      default -> throw new IOException("unexpected JSON token " + t);
    };
  }

  /** The JSON type name of a tree value, for messages: "a string", "a number", …. */
  public static String typeOf(Object value) {
    if (value instanceof Map) {
      return "an object";
    } else if (value instanceof List) {
      return "an array";
    } else if (value instanceof String) {
      return "a string";
    } else if (value instanceof BigInteger || value instanceof Decimal) {
      return "a number";
    } else if (value instanceof Boolean) {
      return "a boolean";
    }
    return "null";
  }

  private static String describe(JsonToken t) {
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.asString() == null ? t.name() : "'" + t.asString() + "'";
    };
  }
}
