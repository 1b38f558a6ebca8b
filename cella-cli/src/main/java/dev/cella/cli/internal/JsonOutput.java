package dev.cella.cli.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * Pretty-printed JSON output for {@code --json}, written with jackson-core's streaming generator.
 *
 * <pre>{@code
 * JsonOutput.print(out, g -> {
 *   g.writeStartObject();
 *   g.writeStringField("signer", id.hex());
 *   g.writeEndObject();
 * });
 * }</pre>
 */
public final class JsonOutput {
  private static final JsonFactory FACTORY = new JsonFactory();

  /** Writes one JSON document. */
  public interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private JsonOutput() {}

  /** Prints the document {@code body} writes, followed by a newline. */
  public static void print(PrintWriter out, Body body) {
    StringWriter text = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(text)) {
      g.useDefaultPrettyPrinter();
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.println(text);
    out.flush();
  }
}
