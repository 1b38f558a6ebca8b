package dev.cella.testing.junit.internal;

import dev.cella.bundle.Bundle;
import dev.cella.bundle.BundleBuilder;
import dev.cella.bundle.BundleSigningKey;
import dev.cella.bundle.InvalidBundleException;
import dev.cella.bundle.Manifest;
import dev.cella.testing.junit.MockIdentity;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * Re-packages a verified bundle under a {@link MockIdentity}: the manifest's SVN and product id
 * changed as asked, signed by a mock signer (one generated key per name and JVM) or by a given
 * key file. Every distinct use is logged once at WARNING.
 *
 * <p>Thread-safe.
 */
final class MockIdentities {
  private static final System.Logger LOG = System.getLogger(MockIdentities.class.getName());
  private static final Map<String, BundleSigningKey> MOCK_SIGNERS = new ConcurrentHashMap<>();
  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

  private MockIdentities() {}

  /** The one mock identity of an annotation attribute, or null for none. */
  static MockIdentity single(MockIdentity[] given, String where) {
    if (given.length > 1) {
      throw new ExtensionConfigurationException(where + " gives " + given.length
          + " insecureMockIdentity values; give at most one");
    }
    return given.length == 0 ? null : given[0];
  }

  /** The mock signer named {@code name}, generated on first use in this JVM. */
  static BundleSigningKey mockSigner(String name) {
    return MOCK_SIGNERS.computeIfAbsent(name, n -> BundleSigningKey.generate());
  }

  /** Writes {@code bundle} re-signed under {@code mock} as {@code out} and returns {@code out}. */
  static Path resign(Path bundle, MockIdentity mock, Path out, String testName) {
    Bundle original;
    try {
      original = Bundle.open(bundle);
    } catch (IOException | InvalidBundleException e) {
      throw new ExtensionConfigurationException("cannot read the bundle " + bundle + ": " + e.getMessage(), e);
    }
    Manifest.Builder manifest = original.manifest().toBuilder();
    try {
      if (mock.svn() != MockIdentity.KEEP) {
        manifest.svn(mock.svn());
      }
      if (mock.productId() != MockIdentity.KEEP) {
        manifest.productId(mock.productId());
      }
    } catch (IllegalArgumentException e) {
      throw new ExtensionConfigurationException("@MockIdentity in " + testName + ": " + e.getMessage(), e);
    }
    BundleBuilder builder = BundleBuilder.create(manifest.build());
    original.libraries().forEach(builder::addLibrary);
    boolean ownKey = !mock.signingKey().isEmpty();
    BundleSigningKey key = ownKey ? readKey(mock.signingKey(), testName) : mockSigner(mock.signer());
    try {
      builder.writeSigned(key, out);
      warnOnce(testName, mock, ownKey ? "the key " + mock.signingKey()
          : "mock signer '" + mock.signer() + "' (" + key.signerId().hex() + ")");
    } catch (IOException e) {
      throw new ExtensionConfigurationException("cannot write the re-signed bundle " + out, e);
    } finally {
      if (ownKey) {
        key.close();
      }
    }
    return out;
  }

  private static BundleSigningKey readKey(String file, String testName) {
    try {
      return BundleSigningKey.readPem(Path.of(file));
    } catch (IOException | InvalidKeyException e) {
      throw new ExtensionConfigurationException("@MockIdentity in " + testName
          + ": cannot read the signing key " + file + ": " + e.getMessage(), e);
    }
  }

  private static void warnOnce(String testName, MockIdentity mock, String signer) {
    String what = "svn " + (mock.svn() == MockIdentity.KEEP ? "kept" : mock.svn()) + ", product id "
        + (mock.productId() == MockIdentity.KEEP ? "kept" : mock.productId()) + ", signed by " + signer;
    if (WARNED.add(testName + " " + what)) {
      LOG.log(Level.WARNING, "INSECURE mock identity in " + testName + ": the bundle is re-signed"
          + " (" + what + "); a mock identity is made up by the test and proves nothing");
    }
  }
}
