package dev.cella.protocol.codec.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An enum, by constant name (length-prefixed UTF-8), so that reordering constants does not change
 * the meaning of a message; a name this side's enum lacks is refused.
 */
final class EnumCodec extends ValueCodec {
  private final Class<?> type;
  private final Object[] constants;
  private final byte[][] names;
  private final int minBytes;
  private final String what;

  EnumCodec(Class<?> type) {
    this.type = type;
    this.constants = type.getEnumConstants();
    this.names = new byte[constants.length][];
    int shortest = Integer.MAX_VALUE;
    for (int i = 0; i < constants.length; i++) {
      names[i] = ((Enum<?>) constants[i]).name().getBytes(StandardCharsets.UTF_8);
      shortest = Math.min(shortest, names[i].length);
    }
    this.minBytes = constants.length == 0 ? 1 : 1 + shortest;
    this.what = "constant of enum " + type.getName();
  }

  @Override
  public void write(Writer out, Object value, int depth) {
    if (!type.isInstance(value)) {
      throw wrongType(value);
    }
    out.putLengthPrefixed(names[((Enum<?>) value).ordinal()]);
  }

  @Override
  public Object read(Reader in, int depth) {
    return constants[in.getOneOf(names, what)];
  }

  @Override
  public int minBytes() {
    return minBytes;
  }

  @Override
  public String descriptor() {
    return type.getName();
  }

  @Override
  public void define(Map<String, String> definitions) {
    if (definitions.containsKey(descriptor())) {
      return;
    }
    // Sorted: constants cross by name, so their declaration order is not part of the contract.
    String names = Arrays.stream(constants).map(c -> ((Enum<?>) c).name()).sorted()
        .collect(Collectors.joining(","));
    definitions.put(descriptor(), "enum {" + names + "}");
  }
}
