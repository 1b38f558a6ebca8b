package dev.cella.apptests;

import dev.cella.bundle.ApplicationSpec;
import dev.cella.bundle.BundleBuilder;
import dev.cella.bundle.FileGrant;
import dev.cella.bundle.HostAccess;
import dev.cella.bundle.Manifest;
import dev.cella.testing.TestBundles;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Application bundles of published jars, exactly as downloaded, plus the enclave runtime. */
final class AppBundles {
  private AppBundles() {}

  /** The jar file {@code member} was loaded from (the published artifact in the repository). */
  static Path jarOf(Class<?> member) {
    try {
      Path jar = Path.of(member.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException(member.getName() + " was not loaded from a jar: " + jar);
      }
      return jar;
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A signed application bundle running {@code app} from {@code jar}, with these grants. */
  static Path build(Path dir, String name, Path jar, ApplicationSpec app, List<FileGrant> files)
      throws IOException {
    Manifest manifest = Manifest.builder().name(name).application(app)
        .hostAccess(new HostAccess(files, List.of())).build();
    BundleBuilder bundle = BundleBuilder.create(manifest);
    bundle.addLibrary(jar.getFileName().toString(), Files.readAllBytes(jar));
    TestBundles.runtimeJars().forEach(bundle::addLibrary);
    Path file = dir.resolve(name + ".cella");
    bundle.writeSigned(TestBundles.sharedKey(), file);
    return file;
  }
}
