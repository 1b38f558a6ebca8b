package dev.cella.bundle.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.cella.Bytes;
import dev.cella.EnclaveLimits;
import dev.cella.bundle.ApplicationSpec;
import dev.cella.bundle.FileGrant;
import dev.cella.bundle.HostAccess;
import dev.cella.bundle.InvalidBundleException;
import dev.cella.bundle.InvalidBundleException.Reason;
import dev.cella.bundle.Manifest;
import dev.cella.bundle.NetworkGrant;
import dev.cella.bundle.ServiceBinding;
import dev.cella.bundle.internal.JsonFields.FieldException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.Set;

/** Reads and writes {@code cella/manifest.json} (format version 1; see docs/bundle-format.md). */
public final class ManifestJson {
  /** The manifest's path inside a bundle. */
  public static final String PATH = "cella/manifest.json";

  private static final Set<String> ROOT = ordered("formatVersion", "name", "entry", "services",
      "productId", "svn", "debug", "limits", "hostAccess", "initialConfig", "application");
  private static final Set<String> APPLICATION =
      ordered("mainClass", "args", "env", "workingDirectory");
  private static final Set<String> SERVICE = ordered("interface", "implementation");
  private static final Set<String> LIMITS =
      ordered("heapMebibytes", "threads", "maxFrameBytes", "maxNestingDepth");
  private static final Set<String> HOST_ACCESS = ordered("files", "network");
  private static final Set<String> FILE = ordered("hostPath", "enclavePath", "mode");
  private static final Set<String> NETWORK = ordered("connect", "listen");

  private ManifestJson() {}

  /** Parses a manifest strictly; the format version is checked before anything else. */
  public static Manifest read(byte[] json) throws InvalidBundleException {
    if (json.length > Manifest.MAX_JSON_BYTES) {
      throw new InvalidBundleException(Reason.TOO_LARGE, PATH + " is " + json.length
          + " bytes; at most " + Manifest.MAX_JSON_BYTES + " are allowed");
    }
    Map<String, Object> tree;
    try {
      tree = JsonTree.parseObject(json);
    } catch (JsonTree.SyntaxException e) {
      throw invalid(e.getMessage());
    }
    JsonFields root = JsonFields.root(tree);
    try {
      checkVersion(root);
      return build(root.allowOnly(ROOT));
    } catch (FieldException e) {
      throw invalid(e.getMessage());
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
  }

  private static void checkVersion(JsonFields root) throws FieldException, InvalidBundleException {
    int version = root.integer("formatVersion", 0, Integer.MAX_VALUE);
    if (version != Manifest.FORMAT_VERSION) {
      throw new InvalidBundleException(Reason.UNSUPPORTED_FORMAT_VERSION, PATH
          + " has format version " + version + ", but this Cella reads only version "
          + Manifest.FORMAT_VERSION + "; use the Cella release that made the bundle, or repackage it");
    }
  }

  private static Manifest build(JsonFields root) throws FieldException {
    Manifest.Builder b = Manifest.builder();
    b.name(checked(root, "name", Names::checkBundleName));
    if (root.has("entry")) {
      b.entry(checked(root, "entry", n -> Names.checkClassName("entry", n)));
    }
    if (root.has("services")) {
      List<ServiceBinding> services = new ArrayList<>();
      for (JsonFields s : root.objects("services", Manifest.MAX_SERVICES)) {
        s.allowOnly(SERVICE);
        String iface = checked(s, "interface", n -> Names.checkClassName("service interface", n));
        String impl = checked(s, "implementation",
            n -> Names.checkClassName("service implementation", n));
        services.add(new ServiceBinding(iface, impl));
      }
      field(root, "services", () -> b.services(services));
    }
    b.productId(root.integer("productId", 0, 65535));
    b.svn(root.integer("svn", 0, 65535));
    b.debug(root.bool("debug"));
    if (root.has("limits")) {
      JsonFields l = root.object("limits").allowOnly(LIMITS);
      int heap = l.integer("heapMebibytes", 16, 1 << 20);
      int threads = l.integer("threads", 1, 4096);
      int frame = l.integer("maxFrameBytes", EnclaveLimits.MIN_FRAME_BYTES, EnclaveLimits.MAX_FRAME_BYTES);
      int depth = l.integer("maxNestingDepth", 1, 256);
      b.limits(field(root, "limits", () -> new EnclaveLimits(heap, threads, frame, depth)));
    }
    if (root.has("hostAccess")) {
      b.hostAccess(hostAccess(root.object("hostAccess").allowOnly(HOST_ACCESS)));
    }
    if (root.has("initialConfig")) {
      byte[] config = root.base64("initialConfig");
      b.initialConfig(field(root, "initialConfig", () -> Bytes.of(config)));
    }
    if (root.has("application")) {
      b.application(application(root.object("application").allowOnly(APPLICATION)));
    }
    return field(root, root.has("application") ? "application" : "entry", b::build);
  }

  private static HostAccess hostAccess(JsonFields h) throws FieldException {
    List<FileGrant> files = new ArrayList<>();
    if (h.has("files")) {
      for (JsonFields f : h.objects("files", HostAccess.MAX_GRANTS)) {
        f.allowOnly(FILE);
        String host = checked(f, "hostPath", p -> Names.checkAbsolutePath("hostPath", p));
        String enclave = checked(f, "enclavePath", p -> Names.checkAbsolutePath("enclavePath", p));
        String mode = f.string("mode");
        FileGrant.Mode m = field(f, "mode", () -> FileGrant.Mode.fromId(mode));
        files.add(new FileGrant(host, enclave, m));
      }
    }
    List<NetworkGrant> network = new ArrayList<>();
    if (h.has("network")) {
      for (JsonFields n : h.objects("network", HostAccess.MAX_GRANTS)) {
        n.allowOnly(NETWORK);
        if (n.keys().size() != 1) {
          throw n.invalid(n.has("connect") ? "connect" : "listen",
              "must be the only key of its object: write {\"connect\": \"host:port\"} or {\"listen\": port}");
        }
        if (n.has("connect")) {
          String target = n.string("connect");
          network.add(field(n, "connect", () -> NetworkGrant.Connect.parse(target)));
        } else {
          network.add(new NetworkGrant.Listen(n.integer("listen", 1, 65535)));
        }
      }
    }
    return field(h, "files", () -> new HostAccess(files, network));
  }

  private static ApplicationSpec application(JsonFields a) throws FieldException {
    String main = checked(a, "mainClass", n -> Names.checkClassName("application main", n));
    List<String> args = a.has("args") ? a.strings("args", ApplicationSpec.MAX_ARGS) : List.of();
    SequencedMap<String, String> env = new LinkedHashMap<>();
    if (a.has("env")) {
      JsonFields e = a.object("env");
      for (String key : e.keys()) {
        env.put(key, e.string(key));
      }
    }
    Optional<String> dir = a.has("workingDirectory")
        ? Optional.of(checked(a, "workingDirectory",
            p -> Names.checkAbsolutePath("workingDirectory", p)))
        : Optional.empty();
    return field(a, "args", () -> new ApplicationSpec(main, args, env, dir));
  }

  /** Writes the canonical form: fixed key order, no whitespace. */
  public static byte[] write(Manifest m) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JsonTree.factory().createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("formatVersion", Manifest.FORMAT_VERSION);
      g.writeStringField("name", m.name());
      if (m.entry().isPresent()) {
        g.writeStringField("entry", m.entry().get());
      }
      g.writeArrayFieldStart("services");
      for (ServiceBinding s : m.services()) {
        g.writeStartObject();
        g.writeStringField("interface", s.interfaceName());
        g.writeStringField("implementation", s.implementationName());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeNumberField("productId", m.productId());
      g.writeNumberField("svn", m.svn());
      g.writeBooleanField("debug", m.debug());
      g.writeObjectFieldStart("limits");
      g.writeNumberField("heapMebibytes", m.limits().heapMebibytes());
      g.writeNumberField("threads", m.limits().threads());
      g.writeNumberField("maxFrameBytes", m.limits().maxFrameBytes());
      g.writeNumberField("maxNestingDepth", m.limits().maxNestingDepth());
      g.writeEndObject();
      g.writeObjectFieldStart("hostAccess");
      g.writeArrayFieldStart("files");
      for (FileGrant f : m.hostAccess().files()) {
        g.writeStartObject();
        g.writeStringField("hostPath", f.hostPath());
        g.writeStringField("enclavePath", f.enclavePath());
        g.writeStringField("mode", f.mode().id());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("network");
      for (NetworkGrant n : m.hostAccess().network()) {
        g.writeStartObject();
        switch (n) {
          case NetworkGrant.Connect c -> g.writeStringField("connect", c.target());
          case NetworkGrant.Listen l -> g.writeNumberField("listen", l.port());
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
      g.writeStringField("initialConfig",
          Base64.getEncoder().encodeToString(m.initialConfig().toByteArray()));
      if (m.application().isPresent()) {
        writeApplication(g, m.application().get());
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to memory failed", e);
    }
    return out.toByteArray();
  }

  private static void writeApplication(JsonGenerator g, ApplicationSpec a) throws IOException {
    g.writeObjectFieldStart("application");
    g.writeStringField("mainClass", a.mainClass());
    g.writeArrayFieldStart("args");
    for (String arg : a.args()) {
      g.writeString(arg);
    }
    g.writeEndArray();
    g.writeObjectFieldStart("env");
    for (Map.Entry<String, String> e : a.env().entrySet()) {
      g.writeStringField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
    if (a.workingDirectory().isPresent()) {
      g.writeStringField("workingDirectory", a.workingDirectory().get());
    }
    g.writeEndObject();
  }

  /** A required string field, validated by {@code check}. */
  private static String checked(JsonFields on, String key, java.util.function.Consumer<String> check)
      throws FieldException {
    String value = on.string(key);
    try {
      check.accept(value);
    } catch (IllegalArgumentException e) {
      throw on.invalid(key, "is invalid: " + e.getMessage());
    }
    return value;
  }

  private interface Step<T> {
    T get() throws FieldException;
  }

  /** Runs a builder step, turning its IllegalArgumentException into an error naming the field. */
  private static <T> T field(JsonFields on, String key, Step<T> step) throws FieldException {
    try {
      return step.get();
    } catch (IllegalArgumentException e) {
      throw on.invalid(key, "is invalid: " + e.getMessage());
    }
  }

  private static InvalidBundleException invalid(String problem) {
    return new InvalidBundleException(Reason.INVALID_MANIFEST, PATH + ": " + problem);
  }

  private static Set<String> ordered(String... keys) {
    return new LinkedHashSet<>(List.of(keys));
  }
}
