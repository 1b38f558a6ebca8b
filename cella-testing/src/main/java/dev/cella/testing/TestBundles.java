package dev.cella.testing;

import dev.cella.Bytes;
import dev.cella.EnclaveLimits;
import dev.cella.bundle.BundleBuilder;
import dev.cella.bundle.BundleSigningKey;
import dev.cella.bundle.Manifest;
import dev.cella.bundle.ServiceBinding;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Builds signed bundles for tests from classes on the test's own class path: the application's
 * package (every class in the entry class's package and below) plus the Cella enclave runtime as
 * found on the class path. The bundle is signed with a key made once per JVM.
 *
 * <pre>{@code
 * Path bundle = TestBundles.builder("echo", EchoApp.class).config("hello").build(tempDir);
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class TestBundles {
  /** The classes of the trusted runtime every bundle carries, one per runtime jar. */
  private static final List<String> RUNTIME_CLASSES = List.of(
      "dev.cella.enclave.internal.EnclaveRuntime", "dev.cella.protocol.Frames", "dev.cella.Enclave",
      // Attestation inside the enclave (RA-TLS channels) and what it needs.
      "dev.cella.attestation.AttestationVerifier", "com.upokecenter.cbor.CBORObject",
      "com.upokecenter.numbers.EInteger", "com.upokecenter.util.DataUtilities",
      "org.bouncycastle.cert.X509v3CertificateBuilder", "org.bouncycastle.asn1.cms.ContentInfo",
      "org.bouncycastle.jce.provider.BouncyCastleProvider",
      // The process runner re-measures its bundle with cella-bundle, which reads JSON with Jackson.
      "dev.cella.bundle.Bundle", "com.fasterxml.jackson.core.JsonFactory");

  private static volatile BundleSigningKey sharedKey;

  private TestBundles() {}

  /** A builder for a bundle named {@code name} whose entry is {@code entry}. */
  public static Builder builder(String name, Class<?> entry) {
    return new Builder(name, entry);
  }

  /** The signing key test bundles are signed with unless another is given. */
  public static synchronized BundleSigningKey sharedKey() {
    if (sharedKey == null) {
      sharedKey = BundleSigningKey.generate();
    }
    return sharedKey;
  }

  /** The enclave runtime's jars as found on this class path, each a jar's bytes by file name. */
  public static Map<String, byte[]> runtimeJars() {
    Map<String, byte[]> jars = new LinkedHashMap<>();
    for (String className : RUNTIME_CLASSES) {
      Path source = codeSource(className);
      jars.put(jarName(source), jarBytes(source, ""));
    }
    return jars;
  }

  /** Builds a test bundle. Not thread-safe. */
  public static final class Builder {
    private final Manifest.Builder manifest;
    private final Class<?> entry;
    private final List<Class<?>> extraPackages = new ArrayList<>();
    private final List<Class<?>> extraJars = new ArrayList<>();
    private BundleSigningKey key;

    private Builder(String name, Class<?> entry) {
      this.entry = Objects.requireNonNull(entry, "entry");
      this.manifest = Manifest.builder().name(name).entry(entry.getName());
    }

    /** The configuration the enclave is initialized with. */
    public Builder config(String config) {
      manifest.initialConfig(Bytes.of(config.getBytes(StandardCharsets.UTF_8)));
      return this;
    }

    public Builder productId(int productId) {
      manifest.productId(productId);
      return this;
    }

    public Builder svn(int svn) {
      manifest.svn(svn);
      return this;
    }

    public Builder debug(boolean debug) {
      manifest.debug(debug);
      return this;
    }

    public Builder limits(EnclaveLimits limits) {
      manifest.limits(limits);
      return this;
    }

    /** Grants these network permissions in the manifest (replacing earlier ones). */
    public Builder network(dev.cella.bundle.NetworkGrant... grants) {
      manifest.hostAccess(new dev.cella.bundle.HostAccess(List.of(), List.of(grants)));
      return this;
    }

    /** Records an enclave service: the interface and its implementation inside the bundle. */
    public Builder service(Class<?> iface, Class<?> implementation) {
      manifest.addService(new ServiceBinding(iface.getName(), implementation.getName()));
      return this;
    }

    /** Also puts the package of {@code member} (and below) into the bundle. */
    public Builder withPackageOf(Class<?> member) {
      extraPackages.add(member);
      return this;
    }

    /**
     * Also puts the whole jar (or class folder) that holds {@code member} into the bundle's
     * libraries, e.g. a library the enclave uses: {@code withJarOf(io.grpc.Server.class)}.
     */
    public Builder withJarOf(Class<?> member) {
      extraJars.add(member);
      return this;
    }

    /** Signs with {@code key} instead of the shared test key. */
    public Builder signedWith(BundleSigningKey key) {
      this.key = key;
      return this;
    }

    /** Writes the signed bundle into {@code dir} and returns its path. */
    public Path build(Path dir) throws IOException {
      Manifest built = manifest.build();
      BundleBuilder bundle = BundleBuilder.create(built);
      Map<String, byte[]> appJars = new TreeMap<>();
      appJars.put("app-" + built.name() + ".jar", applicationJar());
      for (Class<?> member : extraJars) {
        Path source = codeSource(member.getName());
        appJars.put(jarName(source), jarBytes(source, ""));
      }
      appJars.forEach(bundle::addLibrary);
      runtimeJars().forEach(bundle::addLibrary);
      Path file = dir.resolve(built.name() + ".cella");
      bundle.writeSigned(key != null ? key : sharedKey(), file);
      return file;
    }

    private byte[] applicationJar() {
      Map<String, byte[]> entries = new TreeMap<>();
      for (Class<?> member : Stream.concat(Stream.of(entry), extraPackages.stream()).toList()) {
        String prefix = member.getPackageName().replace('.', '/') + "/";
        entries.putAll(readEntries(codeSource(member.getName()), prefix));
      }
      return writeJar(entries);
    }
  }

  private static Path codeSource(String className) {
    try {
      Class<?> type = Class.forName(className, false, TestBundles.class.getClassLoader());
      var source = type.getProtectionDomain().getCodeSource();
      if (source == null) {
        throw new IllegalStateException(className + " has no code source");
      }
      return Path.of(source.getLocation().toURI());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(className + " is not on the test class path: "
          + "add the module that has it as a test dependency", e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("bad code source for " + className, e);
    }
  }

  private static String jarName(Path source) {
    String name = source.getFileName().toString();
    if (Files.isDirectory(source)) {
      // target/classes of a module in the reactor: name the jar after the module folder.
      return source.getParent().getParent().getFileName() + ".jar";
    }
    return name;
  }

  private static byte[] jarBytes(Path source, String prefix) {
    if (!Files.isDirectory(source)) {
      try {
        return Files.readAllBytes(source);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return writeJar(readEntries(source, prefix));
  }

  private static Map<String, byte[]> readEntries(Path source, String prefix) {
    Map<String, byte[]> entries = new TreeMap<>();
    try {
      if (Files.isDirectory(source)) {
        try (Stream<Path> files = Files.walk(source)) {
          for (Path file : files.filter(Files::isRegularFile).toList()) {
            String name = source.relativize(file).toString().replace('\\', '/');
            if (name.startsWith(prefix)) {
              entries.put(name, Files.readAllBytes(file));
            }
          }
        }
      } else {
        try (JarInputStream jar = new JarInputStream(Files.newInputStream(source))) {
          for (JarEntry e = jar.getNextJarEntry(); e != null; e = jar.getNextJarEntry()) {
            if (!e.isDirectory() && e.getName().startsWith(prefix)) {
              entries.put(e.getName(), jar.readAllBytes());
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + source, e);
    }
    return entries;
  }

  private static byte[] writeJar(Map<String, byte[]> entries) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JarOutputStream jar = new JarOutputStream(out)) {
      for (var e : entries.entrySet()) {
        JarEntry entry = new JarEntry(e.getKey());
        entry.setTime(1_767_225_600_000L);
        jar.putNextEntry(entry);
        jar.write(e.getValue());
        jar.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
