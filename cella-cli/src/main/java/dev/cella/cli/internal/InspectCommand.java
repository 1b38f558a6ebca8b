package dev.cella.cli.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.cella.Measurement;
import dev.cella.bundle.Bundle;
import dev.cella.bundle.FileGrant;
import dev.cella.bundle.HostAccess;
import dev.cella.bundle.InvalidBundleException;
import dev.cella.bundle.Manifest;
import dev.cella.bundle.NetworkGrant;
import dev.cella.bundle.ServiceBinding;
import dev.cella.bundle.UnsignedBundle;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.SequencedMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cella inspect FILE.cella [--json]}: a bundle's identity and manifest, verified. */
@Command(name = "inspect",
    description = {"Verify a bundle and show its identity and manifest.",
        "An unsigned bundle is shown as unsigned; a bad signature exits with status 3."},
    footer = {"", "Examples:",
        "  cella inspect greeter.cella",
        "  cella inspect greeter.cella --json | jq -r .measurement"})
public final class InspectCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin HelpOption help;

  @Parameters(index = "0", paramLabel = "FILE.cella", description = "The bundle.")
  Path file;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  /** What is shown: verified data, or the unauthenticated contents of an unsigned bundle. */
  private record View(Manifest manifest, Measurement measurement, Bundle verifiedOrNull,
      SequencedMap<String, byte[]> libraries) {}

  @Override
  public Integer call() throws IOException {
    View view;
    CliFiles.requireFile(file, "bundle");
    try {
      Bundle bundle = Bundle.open(file);
      view = new View(bundle.manifest(), bundle.measurement(), bundle, bundle.libraries());
    } catch (InvalidBundleException e) {
      if (e.reason() != InvalidBundleException.Reason.UNSIGNED) {
        throw CliException.bundle(file, e);
      }
      UnsignedBundle unsigned = CliBundles.openForSigning(file);
      view = new View(unsigned.manifest(), unsigned.measurement(), null, unsigned.libraries());
    }
    PrintWriter w = spec.commandLine().getOut();
    if (json) {
      View v = view;
      JsonOutput.print(w, g -> writeJson(g, v));
    } else {
      printText(w, view);
    }
    return ExitCode.OK;
  }

  private void printText(PrintWriter w, View v) {
    Manifest m = v.manifest();
    line(w, "bundle", file.toString());
    if (v.verifiedOrNull() != null) {
      line(w, "signature", "valid (ES384)");
      line(w, "signer", v.verifiedOrNull().signer().hex());
    } else {
      line(w, "signature", "none: UNSIGNED (nothing below is authenticated; sign it with cella sign)");
    }
    line(w, "measurement", v.measurement().hex());
    line(w, "name", m.name());
    line(w, "entry", m.entry().orElse("(none)"));
    m.application().ifPresent(app -> {
      line(w, "main class", app.mainClass() + " (an application bundle)");
      line(w, "args", app.args().isEmpty() ? "(none)" : String.join(" ", app.args()));
      app.env().forEach((k, value) -> line(w, "env", k + "=" + value));
      line(w, "workdir", app.workingDirectory().orElse("(the backend's default)"));
    });
    if (m.services().isEmpty()) {
      line(w, "services", "(none)");
    }
    for (ServiceBinding s : m.services()) {
      line(w, "service", s.interfaceName() + " = " + s.implementationName());
    }
    line(w, "product id", Integer.toString(m.productId()));
    line(w, "svn", Integer.toString(m.svn()));
    line(w, "debug", m.debug() ? "true (a debug build: its secrets are not protected)" : "false");
    line(w, "limits", "heap " + m.limits().heapMebibytes() + " MiB, " + m.limits().threads()
        + " threads, frames up to " + m.limits().maxFrameBytes() + " bytes, nesting depth "
        + m.limits().maxNestingDepth());
    HostAccess access = m.hostAccess();
    if (access.isNone()) {
      line(w, "host access", "none");
    }
    for (FileGrant f : access.files()) {
      line(w, "host file", f.hostPath() + " -> " + f.enclavePath() + " (" + f.mode().id() + ")");
    }
    for (NetworkGrant n : access.network()) {
      line(w, "network", switch (n) {
        case NetworkGrant.Connect c -> "connect " + c.target();
        case NetworkGrant.Listen l -> "listen " + l.port();
      });
    }
    line(w, "config", m.initialConfig().length() + " bytes");
    w.println("jars");
    int width = v.libraries().keySet().stream().mapToInt(String::length).max().orElse(0);
    for (Map.Entry<String, byte[]> jar : v.libraries().entrySet()) {
      w.printf("  %-" + width + "s  %9d bytes  sha384 %s%n", jar.getKey(), jar.getValue().length,
          sha384(jar.getValue()));
    }
    w.flush();
  }

  private void writeJson(JsonGenerator g, View v) throws IOException {
    Manifest m = v.manifest();
    g.writeStartObject();
    g.writeStringField("bundle", file.toString());
    g.writeBooleanField("signed", v.verifiedOrNull() != null);
    if (v.verifiedOrNull() != null) {
      g.writeStringField("algorithm", "ES384");
      g.writeStringField("signer", v.verifiedOrNull().signer().hex());
      g.writeStringField("signerPublicKey",
          Base64.getEncoder().encodeToString(v.verifiedOrNull().signerPublicKey().getEncoded()));
    }
    g.writeStringField("measurement", v.measurement().hex());
    // The manifest's own fields, exactly as the bundle's canonical manifest has them.
    try (JsonParser manifest = new JsonFactory().createParser(m.toJson())) {
      manifest.nextToken();
      while (manifest.nextToken() == JsonToken.FIELD_NAME) {
        g.copyCurrentStructure(manifest);
      }
    }
    g.writeArrayFieldStart("jars");
    for (Map.Entry<String, byte[]> jar : v.libraries().entrySet()) {
      g.writeStartObject();
      g.writeStringField("name", jar.getKey());
      g.writeNumberField("size", jar.getValue().length);
      g.writeStringField("sha384", sha384(jar.getValue()));
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void line(PrintWriter w, String key, String value) {
    w.printf("%-12s %s%n", key, value);
  }

  private static String sha384(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-384").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no SHA-384", e);
    }
  }
}
