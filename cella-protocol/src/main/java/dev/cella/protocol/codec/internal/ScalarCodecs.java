package dev.cella.protocol.codec.internal;

import java.util.Map;

/**
 * The codecs of the primitive types and their boxes (fixed width, big-endian; floating point as
 * raw IEEE 754 bits so that every NaN and the sign of zero survive), {@code String} (strict
 * UTF-8) and {@code byte[]}.
 */
final class ScalarCodecs {
  private ScalarCodecs() {}

  private static final ValueCodec BOOLEAN = new Scalar("java.lang.Boolean", 1) {
    @Override
    public void write(Writer out, Object v, int depth) {
      if (!(v instanceof Boolean b)) {
        throw wrongType(v);
      }
      out.put(b ? 1 : 0);
    }

    @Override
    public Object read(Reader in, int depth) {
      return in.getFlag("boolean");
    }
  };

  private static final ValueCodec BYTE = new Scalar("java.lang.Byte", 1) {
    @Override
    public void write(Writer out, Object v, int depth) {
      if (!(v instanceof Byte b)) {
        throw wrongType(v);
      }
      out.put(b);
    }

    @Override
    public Object read(Reader in, int depth) {
      return (byte) in.get("byte");
    }
  };

  private static final ValueCodec SHORT = new Scalar("java.lang.Short", 2) {
    @Override
    public void write(Writer out, Object v, int depth) {
      if (!(v instanceof Short s)) {
        throw wrongType(v);
      }
      out.putShort(s);
    }

    @Override
    public Object read(Reader in, int depth) {
      return in.getShort();
    }
  };

  private static final ValueCodec CHAR = new Scalar("java.lang.Character", 2) {
    @Override
    public void write(Writer out, Object v, int depth) {
      if (!(v instanceof Character c)) {
        throw wrongType(v);
      }
      out.putShort(c);
    }

    @Override
    public Object read(Reader in, int depth) {
      return (char) in.getShort();
    }
  };

  private static final ValueCodec INT = new Scalar("java.lang.Integer", 4) {
    @Override
    public void write(Writer out, Object v, int depth) {
      if (!(v instanceof Integer i)) {
        throw wrongType(v);
      }
      out.putInt(i);
    }

    @Override
    public Object read(Reader in, int depth) {
      return in.getInt();
    }
  };

  private static final ValueCodec LONG = new Scalar("java.lang.Long", 8) {
    @Override
    public void write(Writer out, Object v, int depth) {
      if (!(v instanceof Long l)) {
        throw wrongType(v);
      }
      out.putLong(l);
    }

    @Override
    public Object read(Reader in, int depth) {
      return in.getLong();
    }
  };

  private static final ValueCodec FLOAT = new Scalar("java.lang.Float", 4) {
    @Override
    public void write(Writer out, Object v, int depth) {
      if (!(v instanceof Float f)) {
        throw wrongType(v);
      }
      out.putInt(Float.floatToRawIntBits(f));
    }

    @Override
    public Object read(Reader in, int depth) {
      return Float.intBitsToFloat(in.getInt());
    }
  };

  private static final ValueCodec DOUBLE = new Scalar("java.lang.Double", 8) {
    @Override
    public void write(Writer out, Object v, int depth) {
      if (!(v instanceof Double d)) {
        throw wrongType(v);
      }
      out.putLong(Double.doubleToRawLongBits(d));
    }

    @Override
    public Object read(Reader in, int depth) {
      return Double.longBitsToDouble(in.getLong());
    }
  };

  private static final ValueCodec STRING = new Scalar("java.lang.String", 1) {
    @Override
    public void write(Writer out, Object v, int depth) {
      if (!(v instanceof String s)) {
        throw wrongType(v);
      }
      out.putString(s);
    }

    @Override
    public Object read(Reader in, int depth) {
      return in.getString("string");
    }
  };

  private static final ValueCodec BYTES = new Scalar("byte[]", 1) {
    @Override
    public void write(Writer out, Object v, int depth) {
      if (!(v instanceof byte[] b)) {
        throw wrongType(v);
      }
      out.putLengthPrefixed(b);
    }

    @Override
    public Object read(Reader in, int depth) {
      return in.getBytes();
    }
  };

  private static final Map<Class<?>, ValueCodec> BY_TYPE = Map.ofEntries(
      Map.entry(boolean.class, BOOLEAN), Map.entry(Boolean.class, BOOLEAN),
      Map.entry(byte.class, BYTE), Map.entry(Byte.class, BYTE),
      Map.entry(short.class, SHORT), Map.entry(Short.class, SHORT),
      Map.entry(char.class, CHAR), Map.entry(Character.class, CHAR),
      Map.entry(int.class, INT), Map.entry(Integer.class, INT),
      Map.entry(long.class, LONG), Map.entry(Long.class, LONG),
      Map.entry(float.class, FLOAT), Map.entry(Float.class, FLOAT),
      Map.entry(double.class, DOUBLE), Map.entry(Double.class, DOUBLE),
      Map.entry(String.class, STRING), Map.entry(byte[].class, BYTES));

  /** The codec of a primitive, a box, {@code String} or {@code byte[]}; null for other types. */
  static ValueCodec forClassOrNull(Class<?> type) {
    return BY_TYPE.get(type);
  }

  private abstract static class Scalar extends ValueCodec {
    private final String descriptor;
    private final int minBytes;

    Scalar(String descriptor, int minBytes) {
      this.descriptor = descriptor;
      this.minBytes = minBytes;
    }

    @Override
    public int minBytes() {
      return minBytes;
    }

    @Override
    public String descriptor() {
      return descriptor;
    }
  }
}
