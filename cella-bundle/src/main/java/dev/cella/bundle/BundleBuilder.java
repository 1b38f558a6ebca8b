package dev.cella.bundle;

import dev.cella.bundle.internal.BundleLayout;
import dev.cella.bundle.internal.ManifestJson;
import dev.cella.bundle.internal.Names;
import dev.cella.bundle.internal.ParsedBundle;
import dev.cella.bundle.internal.SecureFiles;
import dev.cella.bundle.internal.ZipWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Builds a bundle from a manifest and jars. The archive is written deterministically (entries
 * sorted, all STORED, fixed time stamps), so the same manifest and jars always give the same
 * bytes, and hence the same measurement.
 *
 * <pre>{@code
 * byte[] bundle = BundleBuilder.create(manifest)
 *     .addLibrary(Path.of("target/app.jar"))
 *     .addLibraries(RuntimeJars.locate().jars())
 *     .buildSigned(key);
 * }</pre>
 *
 * <p>Not thread-safe.
 */
public final class BundleBuilder {
  private final Manifest manifest;
  private final TreeMap<String, byte[]> libraries = new TreeMap<>();
  private final Map<String, String> folded = new TreeMap<>();

  private BundleBuilder(Manifest manifest) {
    this.manifest = Objects.requireNonNull(manifest, "manifest");
  }

  /** A builder for a bundle with {@code manifest}. */
  public static BundleBuilder create(Manifest manifest) {
    return new BundleBuilder(manifest);
  }

  /**
   * Adds a jar as {@code lib/<name>}. The name is a plain file name ending in {@code .jar}, unique
   * in the bundle ignoring case; the content must be a ZIP (jar) file.
   */
  public BundleBuilder addLibrary(String name, byte[] jar) {
    Names.checkLibraryName(name);
    String key = name.toLowerCase(Locale.ROOT);
    if (folded.containsKey(key)) {
      throw new IllegalArgumentException("two jars are named " + name
          + (folded.get(key).equals(name) ? "" : " and " + folded.get(key))
          + "; every jar in a bundle needs its own file name");
    }
    if (jar.length < 4 || jar[0] != 'P' || jar[1] != 'K' || !(jar[2] == 3 || jar[2] == 5)) {
      throw new IllegalArgumentException(name + " is not a jar (it is not a ZIP file)");
    }
    folded.put(key, name);
    libraries.put(name, jar.clone());
    return this;
  }

  /** Adds the jar file {@code jar} under its own file name. */
  public BundleBuilder addLibrary(Path jar) throws IOException {
    Path fileName = jar.getFileName();
    if (fileName == null) {
      throw new IllegalArgumentException(jar + " is not a jar file name");
    }
    return addLibrary(fileName.toString(), Files.readAllBytes(jar));
  }

  /** Adds each jar file of {@code jars}. */
  public BundleBuilder addLibraries(Iterable<Path> jars) throws IOException {
    for (Path jar : jars) {
      addLibrary(jar);
    }
    return this;
  }

  /** Whether a jar with this name (ignoring case) was added. */
  public boolean hasLibrary(String name) {
    return folded.containsKey(name.toLowerCase(Locale.ROOT));
  }

  /** The bundle without a signature, for two-step signing. */
  public UnsignedBundle buildUnsigned() {
    if (libraries.isEmpty()) {
      throw new IllegalStateException("a bundle needs at least one jar");
    }
    Map<String, byte[]> entries = new TreeMap<>();
    entries.put(ManifestJson.PATH, manifest.toJson());
    libraries.forEach((name, content) -> entries.put(BundleLayout.LIB + name, content));
    try {
      return new UnsignedBundle(ParsedBundle.parse(ZipWriter.write(entries)));
    } catch (InvalidBundleException e) {
      throw new IllegalStateException("a freshly built bundle does not parse: " + e.getMessage(), e);
    }
  }

  /** The bundle signed by {@code key}. */
  public byte[] buildSigned(BundleSigningKey key) {
    return buildUnsigned().sign(key);
  }

  /** Writes the bundle signed by {@code key} to {@code file}, atomically. */
  public void writeSigned(BundleSigningKey key, Path file) throws IOException {
    SecureFiles.writeAtomically(file, buildSigned(key));
  }

  /** Writes the unsigned bundle to {@code file}, atomically. */
  public void writeUnsigned(Path file) throws IOException {
    SecureFiles.writeAtomically(file, buildUnsigned().toBytes());
  }
}
