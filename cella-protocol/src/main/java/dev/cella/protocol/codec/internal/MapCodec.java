package dev.cella.protocol.codec.internal;

import dev.cella.protocol.codec.CodecException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code Map<K, V>}: a varint count and the key, value pairs in the map's iteration order. Null
 * keys and values are refused on encode, duplicate keys on decode; decoded maps are unmodifiable
 * and keep the order.
 */
final class MapCodec extends ValueCodec {
  private final ValueCodec key;
  private final ValueCodec value;
  private final String descriptor;

  MapCodec(ValueCodec key, ValueCodec value) {
    this.key = key;
    this.value = value;
    this.descriptor = "java.util.Map<" + key.descriptor() + "," + value.descriptor() + ">";
  }

  @Override
  public void write(Writer out, Object v, int depth) {
    if (!(v instanceof Map<?, ?> map)) {
      throw wrongType(v);
    }
    int inner = out.enter(depth);
    int size = map.size();
    out.putVarint(size);
    int written = 0;
    for (Map.Entry<?, ?> e : map.entrySet()) {
      Object k = e.getKey();
      Object x = e.getValue();
      if (k == null || x == null) {
        throw new CodecException("a " + descriptor + " holds a null key or value, which cannot cross");
      }
      key.write(out, k, inner);
      value.write(out, x, inner);
      written++;
    }
    if (written != size) {
      throw new CodecException("a " + descriptor + " changed its size while being encoded");
    }
  }

  @Override
  public Object read(Reader in, int depth) {
    int inner = in.enter(depth);
    int count = in.getCount(key.minBytes() + value.minBytes(), "map");
    if (count == 0) {
      return Map.of();
    }
    LinkedHashMap<Object, Object> map = LinkedHashMap.newLinkedHashMap(count);
    for (int i = 0; i < count; i++) {
      Object k = key.read(in, inner);
      Object x = value.read(in, inner);
      if (map.putIfAbsent(k, x) != null) {
        throw in.malformed("duplicate key in " + descriptor);
      }
    }
    return Collections.unmodifiableSequencedMap(map);
  }

  @Override
  public int minBytes() {
    return 1;
  }

  @Override
  public String descriptor() {
    return descriptor;
  }

  @Override
  public void define(Map<String, String> definitions) {
    key.define(definitions);
    value.define(definitions);
  }
}
