package dev.cella.cli.internal;

import dev.cella.Bytes;
import dev.cella.EnclaveException;
import dev.cella.EnclaveLimits;
import dev.cella.bundle.ApplicationSpec;
import dev.cella.bundle.BundleBuilder;
import dev.cella.bundle.FileGrant;
import dev.cella.bundle.HostAccess;
import dev.cella.bundle.NetworkGrant;
import dev.cella.bundle.BundleCheck;
import dev.cella.bundle.BundleSigningKey;
import dev.cella.bundle.Manifest;
import dev.cella.bundle.RuntimeJars;
import dev.cella.bundle.ServiceBinding;
import dev.cella.bundle.UnsignedBundle;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.concurrent.Callable;
import java.util.zip.ZipFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cella package}: build (and sign) a bundle from jars, adding the enclave runtime. */
@Command(name = "package",
    description = {"Build a bundle from your jars plus the Cella enclave runtime, and sign it.",
        "Use --unsigned instead of --key to sign it later (cella sign). The entry class and",
        "every service are checked as the enclave runtime checks them, so a type that cannot",
        "cross the boundary is refused here, naming the method and the type."},
    footer = {"", "Examples:",
        "  cella package --jar target/greeter.jar --entry com.example.Greeter \\",
        "      --product-id 1 --svn 2 --key signing-key.pem --out greeter.cella",
        "  cella package --jar h2.jar --main-class org.h2.tools.Shell \\",
        "      --mount /srv/db:/data:sealed --key signing-key.pem --out h2.cella",
        "  cella package --jar app.jar --jar lib/gson.jar \\",
        "      --service com.example.Api=com.example.enclave.ApiImpl \\",
        "      --unsigned --out app.cella"})
public final class PackageCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin HelpOption help;

  @Option(names = "--jar", required = true, arity = "1..*", paramLabel = "JAR",
      description = "Your jars (the enclave's code and its dependencies).")
  List<Path> jars;

  @Option(names = "--entry", paramLabel = "CLASS", description = "The TrustedApplication class.")
  String entry;

  @Option(names = "--main-class", paramLabel = "CLASS",
      description = {"Make an application bundle: the enclave runs this class's unmodified",
          "public static void main(String[]) (application mode; not with --entry or --service)."})
  String mainClass;

  @Option(names = "--arg", paramLabel = "ARG",
      description = "With --main-class: an argument the program always gets first (repeatable).")
  List<String> programArgs = new ArrayList<>();

  @Option(names = "--env", paramLabel = "NAME=VALUE",
      description = "With --main-class: an environment variable of the program (repeatable).")
  List<String> env = new ArrayList<>();

  @Option(names = "--workdir", paramLabel = "DIR",
      description = "With --main-class: the program's working directory inside (default /tmp).")
  String workdir;

  @Option(names = "--mount", paramLabel = "HOST:ENCLAVE:MODE",
      description = {"Grant the host folder or file HOST at ENCLAVE inside, MODE read-only,",
          "read-write or sealed (ciphertext on the host) (repeatable)."})
  List<String> mounts = new ArrayList<>();

  @Option(names = "--connect", paramLabel = "HOST:PORT",
      description = {"Grant connecting out to HOST:PORT ([v6]:PORT for IPv6), relayed by the host",
          "on isolating backends (repeatable)."})
  List<String> connects = new ArrayList<>();

  @Option(names = "--listen", paramLabel = "PORT",
      description = "Grant listening on PORT; the host relays connections to it (repeatable).")
  List<Integer> listens = new ArrayList<>();

  @Option(names = "--service", paramLabel = "IFACE=IMPL",
      description = "A typed service: its interface and implementing class (repeatable).")
  List<String> services = new ArrayList<>();

  @Option(names = "--name", paramLabel = "N",
      description = "The bundle name (default: from --out, e.g. app.cella gives app).")
  String name;

  @Option(names = "--product-id", paramLabel = "N", description = "Product id, 0-65535 (default 0).")
  int productId;

  @Option(names = "--svn", paramLabel = "N", description = "Security version, 0-65535 (default 0).")
  int svn;

  @Option(names = "--debug", description = "Mark the bundle as a debug build (its secrets are not protected).")
  boolean debug;

  @Option(names = "--config-file", paramLabel = "F", description = "Initial configuration bytes.")
  Path configFile;

  @Option(names = "--heap-mib", paramLabel = "N", description = "Heap limit in MiB (default 256).")
  int heapMib = EnclaveLimits.DEFAULT.heapMebibytes();

  @Option(names = "--threads", paramLabel = "N", description = "Most threads inside at once (default 64).")
  int threads = EnclaveLimits.DEFAULT.threads();

  @Option(names = "--max-frame-bytes", paramLabel = "N",
      description = "Largest boundary frame in bytes (default 16777216).")
  int maxFrameBytes = EnclaveLimits.DEFAULT.maxFrameBytes();

  @Option(names = "--max-nesting-depth", paramLabel = "N",
      description = "Deepest value nesting in a typed call (default 32).")
  int maxNestingDepth = EnclaveLimits.DEFAULT.maxNestingDepth();

  @Option(names = "--key", paramLabel = "KEY", description = "The signing key (PKCS#8 PEM).")
  Path key;

  @Option(names = "--unsigned", description = "Write an unsigned bundle, for two-step signing.")
  boolean unsigned;

  @Option(names = "--out", required = true, paramLabel = "FILE.cella", description = "The bundle to write.")
  Path out;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Override
  public Integer call() {
    if ((key == null) == !unsigned) {
      throw CliException.usage(unsigned ? "give either --key or --unsigned, not both"
          : "give --key KEY to sign the bundle, or --unsigned to sign it later");
    }
    Manifest manifest = manifest();
    try (Progress progress = Progress.forTerminal(spec.commandLine().getErr())) {
      return build(manifest, progress);
    }
  }

  private int build(Manifest manifest, Progress progress) {
    Map<String, byte[]> userJars = readJars(progress);
    checkClasses(manifest, userJars);
    RuntimeJars runtime;
    try {
      runtime = RuntimeJars.locate();
    } catch (EnclaveException e) {
      throw CliException.failure(e.getMessage(), e);
    }
    BundleBuilder builder = BundleBuilder.create(manifest);
    for (String runtimeJar : runtime.names()) {
      for (String user : userJars.keySet()) {
        if (user.equalsIgnoreCase(runtimeJar)) {
          throw CliException.failure("your jar " + user + " has the name of the enclave runtime's "
              + runtimeJar + ", which cella package adds by itself; leave it out or rename it");
        }
      }
    }
    userJars.forEach((fileName, content) -> add(builder, fileName, content));
    for (Path jar : runtime.jars()) {
      add(builder, jar.getFileName().toString(), CliFiles.read(jar, "runtime jar"));
    }
    progress.show("measuring " + (userJars.size() + runtime.jars().size()) + " jars");
    UnsignedBundle built = builder.buildUnsigned();
    progress.show("checking the entry class and services");
    try {
      BundleCheck.check(built);
    } catch (EnclaveException e) {
      throw CliException.failure(e.getMessage(), e);
    }
    byte[] bytes;
    String signer = null;
    if (unsigned) {
      bytes = built.toBytes();
    } else {
      progress.show("signing");
      try (BundleSigningKey signingKey = CliKeys.readSigningKey(key)) {
        bytes = built.sign(signingKey);
        signer = signingKey.signerId().hex();
      }
    }
    progress.show("writing " + out + " (" + Progress.mebibytes(bytes.length) + ")");
    CliFiles.writeAtomically(out, bytes);
    progress.close();
    report(built, signer, runtime, bytes.length);
    return ExitCode.OK;
  }

  private Manifest manifest() {
    Manifest.Builder b = Manifest.builder();
    usage("--name", () -> b.name(name != null ? name : defaultName()));
    usage("--entry", () -> b.entry(entry));
    for (String s : services) {
      int eq = s.indexOf('=');
      if (eq <= 0 || eq == s.length() - 1) {
        throw CliException.usage("--service takes IFACE=IMPL (two class names), got '" + s + "'");
      }
      usage("--service", () -> b.addService(new ServiceBinding(s.substring(0, eq), s.substring(eq + 1))));
    }
    usage("--product-id", () -> b.productId(productId));
    usage("--svn", () -> b.svn(svn));
    b.debug(debug);
    usage("limits", () -> b.limits(new EnclaveLimits(heapMib, threads, maxFrameBytes, maxNestingDepth)));
    if (configFile != null) {
      byte[] config = CliFiles.read(configFile, "config file");
      usage("--config-file", () -> b.initialConfig(Bytes.of(config)));
    }
    if (mainClass != null && (entry != null || !services.isEmpty())) {
      throw CliException.usage("--main-class makes an application bundle: leave out --entry and"
          + " --service");
    }
    if (mainClass == null && (!programArgs.isEmpty() || !env.isEmpty() || workdir != null)) {
      throw CliException.usage("--arg, --env and --workdir need --main-class");
    }
    if (entry == null && services.isEmpty() && mainClass == null) {
      throw CliException.usage("give --entry CLASS (the TrustedApplication), at least one"
          + " --service, or --main-class CLASS (an unmodified program)");
    }
    if (mainClass != null) {
      usage("--main-class", () -> b.application(application()));
    }
    List<FileGrant> files = new ArrayList<>();
    usage("--mount", () -> files.addAll(fileGrants()));
    List<NetworkGrant> network = new ArrayList<>();
    usage("--connect/--listen", () -> network.addAll(networkGrants()));
    usage("--mount/--connect/--listen", () -> b.hostAccess(new HostAccess(files, network)));
    return b.build();
  }

  private ApplicationSpec application() {
    SequencedMap<String, String> variables = new LinkedHashMap<>();
    for (String e : env) {
      int eq = e.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--env takes NAME=VALUE, got '" + e + "'");
      }
      if (variables.put(e.substring(0, eq), e.substring(eq + 1)) != null) {
        throw new IllegalArgumentException("--env " + e.substring(0, eq) + " is given twice");
      }
    }
    return new ApplicationSpec(mainClass, programArgs, variables, Optional.ofNullable(workdir));
  }

  private List<NetworkGrant> networkGrants() {
    List<NetworkGrant> grants = new ArrayList<>();
    for (String c : connects) {
      grants.add(NetworkGrant.Connect.parse(c));
    }
    for (int port : listens) {
      grants.add(new NetworkGrant.Listen(port));
    }
    return grants;
  }

  /** {@code HOST:ENCLAVE:MODE} each; host paths are made absolute and normalized. */
  private List<FileGrant> fileGrants() {
    List<FileGrant> grants = new ArrayList<>();
    for (String m : mounts) {
      String[] parts = m.split(":", -1);
      if (parts.length != 3) {
        throw new IllegalArgumentException("takes HOST:ENCLAVE:MODE (MODE read-only, read-write"
            + " or sealed; paths without ':'), got '" + m + "'");
      }
      String host = Path.of(parts[0]).toAbsolutePath().normalize().toString();
      grants.add(new FileGrant(host, parts[1], FileGrant.Mode.fromId(parts[2])));
    }
    return grants;
  }


  private String defaultName() {
    String file = out.getFileName() == null ? "" : out.getFileName().toString();
    String base = file.endsWith(".cella") ? file.substring(0, file.length() - 6) : file;
    String candidate = base.toLowerCase(Locale.ROOT);
    if (!candidate.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
      throw CliException.usage("cannot make a bundle name from '" + file + "'; give --name"
          + " (lower case letters, digits, . _ -, at most 64)");
    }
    return candidate;
  }

  private Map<String, byte[]> readJars(Progress progress) {
    Map<String, byte[]> read = new LinkedHashMap<>();
    long bytes = 0;
    for (Path jar : jars) {
      progress.show("reading jars " + (read.size() + 1) + "/" + jars.size() + " ("
          + Progress.mebibytes(bytes) + ")");
      String fileName = jar.getFileName() == null ? jar.toString() : jar.getFileName().toString();
      for (String seen : read.keySet()) {
        if (seen.equalsIgnoreCase(fileName)) {
          throw CliException.failure("two --jar files are named " + fileName
              + "; every jar in a bundle needs its own file name");
        }
      }
      byte[] content = CliFiles.read(jar, "jar");
      bytes += content.length;
      read.put(fileName, content);
    }
    return read;
  }

  /** Refuses an entry or service class that none of the jars contains. */
  private void checkClasses(Manifest manifest, Map<String, byte[]> userJars) {
    List<String> classes = new ArrayList<>();
    manifest.entry().ifPresent(classes::add);
    manifest.application().ifPresent(app -> classes.add(app.mainClass()));
    for (ServiceBinding s : manifest.services()) {
      classes.add(s.implementationName());
    }
    for (String className : classes) {
      String file = className.replace('.', '/') + ".class";
      boolean found = false;
      for (int i = 0; i < jars.size() && !found; i++) {
        found = contains(jars.get(i), file);
      }
      if (!found) {
        throw CliException.failure("class " + className + " is not in any --jar (looked for " + file + ")");
      }
    }
  }

  private static boolean contains(Path jar, String entryName) {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      return zip.getEntry(entryName) != null;
    } catch (IOException e) {
      throw CliException.failure(jar + " is not a readable jar: " + e.getMessage(), e);
    }
  }

  private static void add(BundleBuilder builder, String fileName, byte[] content) {
    try {
      builder.addLibrary(fileName, content);
    } catch (IllegalArgumentException e) {
      throw CliException.failure(e.getMessage(), e);
    }
  }

  private void report(UnsignedBundle built, String signer, RuntimeJars runtime, int size) {
    PrintWriter w = spec.commandLine().getOut();
    if (json) {
      JsonOutput.print(w, g -> {
        g.writeStartObject();
        g.writeStringField("bundle", out.toString());
        g.writeNumberField("size", size);
        g.writeBooleanField("signed", signer != null);
        g.writeStringField("measurement", built.measurement().hex());
        if (signer != null) {
          g.writeStringField("signer", signer);
        }
        g.writeArrayFieldStart("jars");
        for (String jar : built.libraries().keySet()) {
          g.writeString(jar);
        }
        g.writeEndArray();
        g.writeEndObject();
      });
      return;
    }
    w.println("wrote " + out + " (" + built.libraries().size() + " jars, " + runtime.jars().size()
        + " of them the enclave runtime; " + size + " bytes)");
    w.println("measurement  " + built.measurement().hex());
    if (signer != null) {
      w.println("signer       " + signer);
    } else {
      w.println("unsigned: sign it with 'cella sign " + out + " --key KEY', or export its payload"
          + " with 'cella sign " + out + " --export-payload FILE'");
    }
    w.flush();
  }

  private static void usage(String option, Runnable step) {
    try {
      step.run();
    } catch (IllegalArgumentException e) {
      throw CliException.usage(option + ": " + e.getMessage());
    }
  }
}
