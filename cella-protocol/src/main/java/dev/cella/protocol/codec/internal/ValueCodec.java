package dev.cella.protocol.codec.internal;

import dev.cella.protocol.codec.CodecException;
import java.util.Map;

/**
 * Encodes and decodes non-null values of one supported type. Nullability is the business of the
 * {@link Slot} that holds the value (a parameter, a result, a record component); collection
 * elements and optional contents are never null.
 *
 * <p>Derived once by {@link TypeDeriver}; immutable and thread-safe once the derivation that made
 * it has finished.
 */
public abstract class ValueCodec {

  /** Writes {@code value}, which is not null, at nesting {@code depth}. */
  public abstract void write(Writer out, Object value, int depth);

  /** Reads one value, never null, at nesting {@code depth}. */
  public abstract Object read(Reader in, int depth);

  /** The fewest bytes an encoded value of this type takes; at least 1. */
  public abstract int minBytes();

  /** The canonical name of the type, as it appears in signatures and in the fingerprint. */
  public abstract String descriptor();

  /**
   * Adds the structure of every record and enum reachable from this type to {@code definitions}
   * (descriptor to definition), stopping at those already there.
   */
  public void define(Map<String, String> definitions) {}

  /** The failure for a value of the wrong Java type (possible only through heap pollution). */
  protected final CodecException wrongType(Object value) {
    return new CodecException(
        "expected a value of type " + descriptor() + ", got " + value.getClass().getName());
  }
}
