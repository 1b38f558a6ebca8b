package it.cella.greeter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.cella.enclave.TrustedApplication;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Greets with JSON written by jackson-core, a dependency that must be inside the bundle. */
public final class GreeterApp implements TrustedApplication {
  @Override
  public byte[] run(byte[] input) {
    String name = new String(input, StandardCharsets.UTF_8);
    StringWriter out = new StringWriter();
    try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("greeting", new GreeterImpl().greet(List.of(name)).text());
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }
}
