package dev.cella.bundle.internal;

import dev.cella.bundle.InvalidBundleException;
import dev.cella.bundle.InvalidBundleException.Reason;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The entry layout of bundle format 1: exactly {@code cella/manifest.json}, one or more {@code
 * lib/<name>.jar} and at most one {@code cella/signature}. Directory entries, absolute paths,
 * {@code .} or {@code ..} segments, backslashes, control characters, other paths and duplicates
 * (library names also case-insensitively) are refused.
 *
 * @param manifest the manifest bytes
 * @param libraries library file name (without {@code lib/}) → content, sorted by name
 * @param signatureOrNull the signature file bytes, or null for an unsigned bundle
 */
public record BundleLayout(byte[] manifest, TreeMap<String, byte[]> libraries, byte[] signatureOrNull) {
  /** The signature's path. */
  public static final String SIGNATURE = "cella/signature";
  /** The folder of the jars. */
  public static final String LIB = "lib/";

  /** Checks {@code entries} (in archive order) against the layout. */
  public static BundleLayout of(List<ZipReader.Entry> entries) throws InvalidBundleException {
    Listing listing = list(entries);
    TreeMap<String, byte[]> libraries = new TreeMap<>();
    listing.libraries().forEach((name, entry) -> libraries.put(name, entry.content()));
    return new BundleLayout(listing.manifest().content(), libraries,
        listing.signatureOrNull() == null ? null : listing.signatureOrNull().content());
  }

  /**
   * The entries of a bundle sorted into their places, with every check of the layout; an entry's
   * content may be null if it was only listed ({@link ZipReader#list}).
   *
   * @param manifest the manifest's entry
   * @param libraries library file name (without {@code lib/}) → its entry, sorted by name
   * @param signatureOrNull the signature's entry, or null for an unsigned bundle
   */
  public record Listing(ZipReader.Entry manifest, TreeMap<String, ZipReader.Entry> libraries,
      ZipReader.Entry signatureOrNull) {}

  /** Checks {@code entries} (in archive order) against the layout and sorts them. */
  public static Listing list(List<ZipReader.Entry> entries) throws InvalidBundleException {
    ZipReader.Entry manifest = null;
    ZipReader.Entry signature = null;
    TreeMap<String, ZipReader.Entry> libraries = new TreeMap<>();
    Set<String> names = new HashSet<>();
    Set<String> folded = new HashSet<>();
    for (ZipReader.Entry e : entries) {
      String name = e.name();
      checkPath(name);
      if (!names.add(name)) {
        throw new InvalidBundleException(Reason.DUPLICATE_ENTRY,
            "the bundle holds " + Names.quote(name) + " twice; a bundle names each entry once");
      }
      if (name.equals(ManifestJson.PATH)) {
        manifest = e;
      } else if (name.equals(SIGNATURE)) {
        signature = e;
      } else if (name.startsWith(LIB) && name.indexOf('/', LIB.length()) < 0) {
        String file = name.substring(LIB.length());
        try {
          Names.checkLibraryName(file);
        } catch (IllegalArgumentException ex) {
          throw unexpected(name, ex.getMessage());
        }
        if (!folded.add(file.toLowerCase(Locale.ROOT))) {
          throw new InvalidBundleException(Reason.DUPLICATE_ENTRY, "the bundle holds libraries"
              + " whose names differ only in case, such as " + Names.quote(name));
        }
        libraries.put(file, e);
      } else {
        throw unexpected(name, "a bundle holds only cella/manifest.json, cella/signature and lib/*.jar");
      }
    }
    if (manifest == null) {
      throw new InvalidBundleException(Reason.MISSING_ENTRY,
          "the bundle has no cella/manifest.json; make bundles with cella package");
    }
    if (libraries.isEmpty()) {
      throw new InvalidBundleException(Reason.MISSING_ENTRY,
          "the bundle has no lib/*.jar; a bundle carries its code and the Cella enclave runtime");
    }
    return new Listing(manifest, libraries, signature);
  }

  /** The measured entries: every entry but the signature, by full path. */
  public Map<String, byte[]> measuredEntries() {
    Map<String, byte[]> measured = new TreeMap<>();
    measured.put(ManifestJson.PATH, manifest);
    libraries.forEach((name, content) -> measured.put(LIB + name, content));
    return measured;
  }

  private static void checkPath(String name) throws InvalidBundleException {
    if (name.isEmpty()) {
      throw unexpected(name, "an entry has an empty name");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw unexpected(name, "entry names may not hold control characters");
      }
    }
    if (name.indexOf('\\') >= 0) {
      throw unexpected(name, "entry names use '/', never backslashes");
    }
    if (name.startsWith("/") || (name.length() > 1 && name.charAt(1) == ':')) {
      throw unexpected(name, "entry names are relative paths, never absolute ones");
    }
    if (name.endsWith("/")) {
      throw unexpected(name, "bundles have no directory entries (cella package never writes them)");
    }
    for (String segment : name.split("/", -1)) {
      if (segment.equals("..") || segment.equals(".") || segment.isEmpty()) {
        throw unexpected(name, "entry names may not hold '..', '.' or empty segments");
      }
    }
  }

  private static InvalidBundleException unexpected(String name, String why) {
    return new InvalidBundleException(Reason.UNEXPECTED_ENTRY,
        "unexpected entry " + Names.quote(name) + " in the bundle: " + why);
  }
}
