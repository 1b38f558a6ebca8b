package dev.cella.maven;

import dev.cella.Bytes;
import dev.cella.EnclaveException;
import dev.cella.bundle.Bundle;
import dev.cella.bundle.BundleSigningKey;
import dev.cella.bundle.InvalidBundleException;
import dev.cella.bundle.Manifest;
import dev.cella.bundle.ServiceBinding;
import dev.cella.bundle.UnsignedBundle;
import dev.cella.maven.internal.BundleAssembler;
import dev.cella.maven.internal.BundleFiles;
import dev.cella.maven.internal.JarSelection;
import dev.cella.maven.internal.RuntimeResolver;
import dev.cella.maven.internal.SigningKeys;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.security.InvalidKeyException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.inject.Inject;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.model.Dependency;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;
import org.apache.maven.project.MavenProjectHelper;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.resolution.DependencyResolutionException;

/**
 * Goal {@code bundle} (bound to {@code package}): the project's jar, its runtime-scope
 * dependencies and the Cella enclave runtime become a signed {@code .cella} bundle, attached to
 * the build with classifier {@code cella} and type {@code cella}. The runtime ({@code
 * dev.cella:cella-enclave} and what it needs) is resolved by the plugin at the version of the
 * project's own {@code cella-enclave} dependency (declare it with scope {@code provided}), else at
 * the plugin's version. Before signing, the entry class and every service are checked as the
 * enclave runtime would check them, so a type that cannot cross the boundary fails the build,
 * naming the method and the type. With {@code <mainClass>} (and optionally {@code <programArgs>},
 * {@code <programEnv>}, {@code <workingDirectory>}) it makes an application bundle instead: the
 * enclave runs that class's unmodified {@code main} (docs/application-mode.md).
 *
 * <pre>{@code
 * <plugin>
 *   <groupId>dev.cella</groupId><artifactId>cella-maven-plugin</artifactId>
 *   <executions><execution><goals><goal>bundle</goal></goals></execution></executions>
 *   <configuration>
 *     <services><service>com.example.Greeter=com.example.enclave.GreeterImpl</service></services>
 *     <productId>1</productId>
 *     <svn>3</svn>
 *     <keyFile>${project.basedir}/signing-key.pem</keyFile>
 *   </configuration>
 * </plugin>
 * }</pre>
 *
 * <p>Signing, in this order of precedence: {@code externalSigning}, {@code
 * keyEnvironmentVariable} (the name of a variable holding the PKCS#8 PEM text), {@code keyFile}
 * (a PKCS#8 PEM file); at least one is required. So a pom can name a development key file and a
 * release build override it from the command line. With external signing the goal writes the
 * unsigned bundle and its signing payload for an HSM; with {@code signatureFile} and {@code
 * signerCertificate} as well, it attaches that signature instead (the build is reproducible, so
 * a signature made over an earlier build's payload fits).
 *
 * <p>Maven runs each goal execution on one thread; the goal keeps no state between executions.
 */
@Mojo(name = "bundle", defaultPhase = LifecyclePhase.PACKAGE,
    requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
public final class BundleMojo extends AbstractMojo {
  private final RepositorySystem repositorySystem;
  private final MavenProjectHelper projectHelper;

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  MavenProject project;

  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  MavenSession session;

  @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
  PluginDescriptor plugin;

  /** The {@code TrustedApplication} class, if the bundle has one. */
  @Parameter(property = "cella.entry")
  String entry;

  /**
   * Makes an application bundle (application mode): the class whose unmodified {@code public
   * static void main(String[])} the enclave runs; not with {@code entry} or {@code services}.
   */
  @Parameter(property = "cella.mainClass")
  String mainClass;

  /** With {@code mainClass}: the arguments the program always gets first. */
  @Parameter
  List<String> programArgs = new ArrayList<>();

  /** With {@code mainClass}: the program's environment. */
  @Parameter
  java.util.Map<String, String> programEnv = new java.util.LinkedHashMap<>();

  /** With {@code mainClass}: the program's working directory inside the enclave. */
  @Parameter
  String workingDirectory;

  /** The typed services, each {@code interface=implementation} (binary class names). */
  @Parameter
  List<String> services = new ArrayList<>();

  /** The bundle name, {@code [a-z0-9][a-z0-9._-]{0,63}}; default: the artifact id in lower case. */
  @Parameter(property = "cella.name", defaultValue = "${project.artifactId}")
  String name;

  /** The product id, 0 to 65535. */
  @Parameter(property = "cella.productId", defaultValue = "0")
  int productId;

  /** The security version number, 0 to 65535. */
  @Parameter(property = "cella.svn", defaultValue = "0")
  int svn;

  /** Whether this is a debug build, whose secrets are not protected. */
  @Parameter(property = "cella.debug", defaultValue = "false")
  boolean debug;

  /** The resource limits; each one left out keeps its default. */
  @Parameter
  LimitsConfig limits;

  /** The host files and network granted to the enclave; default none. */
  @Parameter
  HostAccessConfig hostAccess;

  /** A file whose bytes become the manifest's initial configuration. */
  @Parameter(property = "cella.configFile")
  File configFile;

  /** The signing key: a PKCS#8 PEM file (see the {@code keygen} goal). */
  @Parameter(property = "cella.keyFile")
  File keyFile;

  /** The signing key: the name of an environment variable holding its PKCS#8 PEM text. */
  @Parameter(property = "cella.keyEnvironmentVariable")
  String keyEnvironmentVariable;

  /** Two-step signing: write the unsigned bundle and its payload instead of signing. */
  @Parameter(property = "cella.externalSigning", defaultValue = "false")
  boolean externalSigning;

  /** With {@code externalSigning}: a DER signature made elsewhere over the payload, to attach. */
  @Parameter(property = "cella.signature")
  File signatureFile;

  /** With {@code signatureFile}: the signer's certificate or public key (PEM). */
  @Parameter(property = "cella.signerCertificate")
  File signerCertificate;

  /** The signed bundle. */
  @Parameter(property = "cella.outputFile",
      defaultValue = "${project.build.directory}/${project.build.finalName}.cella")
  File outputFile;

  /** With {@code externalSigning}: where the unsigned bundle is written. */
  @Parameter(property = "cella.unsignedFile",
      defaultValue = "${project.build.directory}/${project.build.finalName}-unsigned.cella")
  File unsignedFile;

  /** With {@code externalSigning}: where the signing payload (79 bytes) is written. */
  @Parameter(property = "cella.payloadFile",
      defaultValue = "${project.build.directory}/${project.build.finalName}.cella-payload")
  File payloadFile;

  /** Where the measurement (hex, one line) is written. */
  @Parameter(property = "cella.measurementFile",
      defaultValue = "${project.build.directory}/${project.build.finalName}.cella.measurement")
  File measurementFile;

  /** The classifier of the attached bundle. */
  @Parameter(property = "cella.classifier", defaultValue = "cella")
  String classifier;

  /** Whether the signed bundle is attached to the build (installed and deployed with it). */
  @Parameter(property = "cella.attach", defaultValue = "true")
  boolean attach;

  /** Skips the goal. */
  @Parameter(property = "cella.skip", defaultValue = "false")
  boolean skip;

  /** Created by Maven with the build's repository system and project helper. */
  @Inject
  public BundleMojo(RepositorySystem repositorySystem, MavenProjectHelper projectHelper) {
    this.repositorySystem = repositorySystem;
    this.projectHelper = projectHelper;
  }

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("cella:bundle skipped");
      return;
    }
    Signing signing = signing();
    Manifest manifest = manifest();
    UnsignedBundle unsigned = assemble(manifest);
    try {
      BundleFiles.writeMeasurement(unsigned.measurement().hex(), measurementFile.toPath());
      if (signing == Signing.EXTERNAL && signatureFile == null) {
        BundleFiles.writeForExternalSigning(unsigned, unsignedFile.toPath(), payloadFile.toPath());
        if (Files.deleteIfExists(outputFile.toPath())) {
          getLog().info("deleted " + outputFile + ", a signed bundle of an earlier build");
        }
        getLog().info("wrote the unsigned bundle " + unsignedFile + " and its signing payload "
            + payloadFile);
        getLog().info("measurement " + unsigned.measurement().hex());
        getLog().info("sign the payload with ECDSA P-384/SHA-384 (e.g. openssl dgst -sha384 -sign"
            + " KEY -out sig.der " + payloadFile.getName() + "), then build again with"
            + " -Dcella.signature=sig.der -Dcella.signerCertificate=CERT.pem, or run"
            + " cella:import-signature with them");
        return;
      }
      Bundle bundle;
      if (signing == Signing.EXTERNAL) {
        bundle = BundleFiles.importSignature(unsigned, signatureFile.toPath(),
            signerCertificate.toPath(), outputFile.toPath());
      } else {
        try (BundleSigningKey key = signing == Signing.KEY_FILE
            ? SigningKeys.fromFile(keyFile.toPath())
            : SigningKeys.fromEnvironment(keyEnvironmentVariable, System::getenv)) {
          bundle = BundleFiles.writeSigned(unsigned, key, outputFile.toPath());
        }
      }
      report(bundle, signing == Signing.EXTERNAL);
    } catch (InvalidKeyException | InvalidBundleException e) {
      throw new MojoFailureException(e.getMessage(), e);
    } catch (IOException e) {
      throw new MojoExecutionException("cannot write the bundle: " + e.getMessage(), e);
    }
    if (attach) {
      projectHelper.attachArtifact(project, "cella", classifier, outputFile);
    }
  }

  private enum Signing { KEY_FILE, KEY_ENVIRONMENT, EXTERNAL }

  /**
   * The signing mode: external signing, else the key in the environment variable, else the key
   * file. A build may name several (a pom's development key, a CI's variable, a release's
   * external signing): the first of that order wins and the log says which, so the command line
   * can override the pom. Naming none is refused.
   */
  private Signing signing() throws MojoFailureException {
    if ((signatureFile == null) != (signerCertificate == null)) {
      throw new MojoFailureException("cella.signature and cella.signerCertificate go together");
    }
    if (signatureFile != null && !externalSigning) {
      throw new MojoFailureException("cella.signature imports a signature made elsewhere: it needs"
          + " -Dcella.externalSigning=true (two-step signing)");
    }
    Signing mode = externalSigning ? Signing.EXTERNAL
        : keyEnvironmentVariable != null && !keyEnvironmentVariable.isBlank() ? Signing.KEY_ENVIRONMENT
        : keyFile != null ? Signing.KEY_FILE : null;
    if (mode == null) {
      throw new MojoFailureException("cella:bundle needs a way to sign: <keyFile> (a PKCS#8 PEM"
          + " file, see cella:keygen), <keyEnvironmentVariable> (a variable holding the PEM text)"
          + " or <externalSigning>true</externalSigning> (two-step signing); none is configured");
    }
    List<String> unused = new ArrayList<>();
    if (mode == Signing.EXTERNAL && keyEnvironmentVariable != null && !keyEnvironmentVariable.isBlank()) {
      unused.add("the key in $" + keyEnvironmentVariable);
    }
    if (mode != Signing.KEY_FILE && keyFile != null) {
      unused.add("the key file " + keyFile);
    }
    if (!unused.isEmpty()) {
      getLog().info("signing " + (mode == Signing.EXTERNAL ? "externally (two-step)"
          : "with the key in $" + keyEnvironmentVariable) + "; not used: " + String.join(", ", unused));
    }
    return mode;
  }

  /** The manifest the configuration describes (package-private for tests). */
  Manifest manifest() throws MojoFailureException {
    try {
      Manifest.Builder b = Manifest.builder();
      String bundleName = name.toLowerCase(Locale.ROOT);
      if (!bundleName.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
        throw new IllegalArgumentException("cannot use '" + name + "' as the bundle name; set"
            + " <name> (lower case letters, digits, . _ -, at most 64)");
      }
      b.name(bundleName).entry(entry == null || entry.isBlank() ? null : entry.strip());
      for (String s : services) {
        int eq = s == null ? -1 : s.indexOf('=');
        if (eq <= 0 || eq == s.length() - 1) {
          throw new IllegalArgumentException(
              "a <service> is interface=implementation (two class names), got '" + s + "'");
        }
        b.addService(new ServiceBinding(s.substring(0, eq).strip(), s.substring(eq + 1).strip()));
      }
      if (mainClass != null && !mainClass.isBlank()) {
        b.application(new dev.cella.bundle.ApplicationSpec(mainClass.strip(), programArgs,
            new java.util.LinkedHashMap<>(programEnv), java.util.Optional.ofNullable(
                workingDirectory == null || workingDirectory.isBlank() ? null
                    : workingDirectory.strip())));
      } else if (!programArgs.isEmpty() || !programEnv.isEmpty() || workingDirectory != null) {
        throw new IllegalArgumentException(
            "<programArgs>, <programEnv> and <workingDirectory> need <mainClass>");
      }
      b.productId(productId).svn(svn).debug(debug);
      if (limits != null) {
        b.limits(limits.toLimits());
      }
      if (hostAccess != null) {
        b.hostAccess(hostAccess.toHostAccess());
      }
      if (configFile != null) {
        b.initialConfig(Bytes.of(Files.readAllBytes(configFile.toPath())));
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new MojoFailureException("cella:bundle: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new MojoFailureException("cannot read the config file " + configFile + ": " + e, e);
    }
  }

  private UnsignedBundle assemble(Manifest manifest) throws MojoFailureException, MojoExecutionException {
    File jar = project.getArtifact().getFile();
    if (jar == null) {
      throw new MojoFailureException("the project has no jar yet: run cella:bundle in the package"
          + " phase, after jar:jar (mvn package), on a project with packaging jar");
    }
    String version = runtimeVersion();
    List<JarSelection.Artifact> runtime;
    try {
      runtime = new RuntimeResolver(repositorySystem).resolve(session.getRepositorySession(),
          project.getRemoteProjectRepositories(), version);
    } catch (DependencyResolutionException e) {
      throw new MojoExecutionException("cannot resolve the Cella enclave runtime "
          + JarSelection.RUNTIME_GROUP + ":" + JarSelection.RUNTIME_ARTIFACT + ":" + version
          + ": " + e.getMessage(), e);
    }
    List<JarSelection.Artifact> dependencies = new ArrayList<>();
    for (Artifact a : project.getArtifacts()) {
      String scope = a.getScope();
      if ((Artifact.SCOPE_COMPILE.equals(scope) || Artifact.SCOPE_RUNTIME.equals(scope))
          && a.getArtifactHandler().isAddedToClasspath()) {
        dependencies.add(artifact(a));
      }
    }
    try {
      JarSelection.Selection selection =
          JarSelection.select(artifact(project.getArtifact()), dependencies, runtime);
      UnsignedBundle unsigned = BundleAssembler.assemble(manifest, selection.project(),
          selection.dependencies(), selection.runtime());
      getLog().info("bundle " + manifest.name() + ": " + unsigned.libraries().size() + " jars ("
          + selection.dependencies().size() + " dependencies, enclave runtime " + version + ")");
      return unsigned;
    } catch (IllegalArgumentException | EnclaveException e) {
      throw new MojoFailureException("cella:bundle: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new MojoExecutionException("cannot read the jars: " + e.getMessage(), e);
    }
  }

  /** The version of the project's own cella-enclave dependency, else the plugin's. */
  private String runtimeVersion() {
    for (Dependency d : project.getDependencies()) {
      if (JarSelection.RUNTIME_GROUP.equals(d.getGroupId())
          && JarSelection.RUNTIME_ARTIFACT.equals(d.getArtifactId()) && d.getVersion() != null) {
        return d.getVersion();
      }
    }
    return plugin.getVersion();
  }

  private static JarSelection.Artifact artifact(Artifact a) {
    return new JarSelection.Artifact(a.getGroupId(), a.getArtifactId(), a.getBaseVersion(),
        a.getClassifier(), a.getFile() == null ? null : a.getFile().toPath());
  }

  private void report(Bundle bundle, boolean signedElsewhere) {
    getLog().info("wrote " + outputFile + (signedElsewhere
        ? " (signed elsewhere; the signature verifies over this build's payload)" : " (signed)"));
    getLog().info("measurement " + bundle.measurement().hex());
    getLog().info("signer      " + bundle.signer().hex());
    if (bundle.manifest().debug()) {
      getLog().warn("this is a debug bundle: its secrets are not protected");
    }
  }
}
