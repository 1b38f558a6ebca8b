package dev.cella.protocol.codec.internal;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the canonical text of an interface that its fingerprint hashes: the interface name, one
 * line per method (canonical signature, id, parameter and result descriptors, declared
 * exceptions) and one line per record and enum reachable from them (component names and types,
 * constant names), all sorted. See {@code docs/codec-format.md}.
 *
 * <p>Not thread-safe; used during one derivation.
 */
public final class Schema {
  private final String interfaceName;
  private final Map<String, String> methods = new TreeMap<>();
  private final Map<String, String> definitions = new TreeMap<>();

  public Schema(Class<?> iface) {
    this.interfaceName = iface.getName();
  }

  public void addMethod(String signature, long id, Slot[] parameters, Slot resultOrNull,
      List<String> declaredExceptions) {
    StringBuilder line = new StringBuilder("method ").append(signature)
        .append(" id=").append(HexFormat.of().toHexDigits(id))
        .append(" params=(");
    for (int i = 0; i < parameters.length; i++) {
      line.append(i == 0 ? "" : ",").append(parameters[i].descriptor());
      parameters[i].codec().define(definitions);
    }
    line.append(") result=");
    if (resultOrNull == null) {
      line.append("void");
    } else {
      line.append(resultOrNull.descriptor());
      resultOrNull.codec().define(definitions);
    }
    line.append(" throws=(").append(String.join(",", declaredExceptions)).append(')');
    methods.put(signature, line.toString());
  }

  public String text() {
    StringBuilder text = new StringBuilder("cella-codec ").append(Wire.VERSION).append('\n');
    text.append("interface ").append(interfaceName).append('\n');
    methods.values().forEach(m -> text.append(m).append('\n'));
    definitions.forEach((k, v) -> text.append("type ").append(k).append(" = ").append(v)
        .append('\n'));
    return text.toString();
  }
}
