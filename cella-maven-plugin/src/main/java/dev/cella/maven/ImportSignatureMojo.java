package dev.cella.maven;

import dev.cella.bundle.Bundle;
import dev.cella.bundle.InvalidBundleException;
import dev.cella.bundle.UnsignedBundle;
import dev.cella.maven.internal.BundleFiles;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.security.InvalidKeyException;
import javax.inject.Inject;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.project.MavenProjectHelper;

/**
 * Goal {@code import-signature}: the second step of two-step signing. Takes the unsigned bundle
 * that {@code bundle} wrote with {@code externalSigning}, a DER ECDSA P-384/SHA-384 signature of
 * its payload made elsewhere (an HSM, {@code openssl dgst -sha384 -sign}) and the signer's
 * certificate or public key; verifies the signature over the payload, writes the signed bundle
 * and attaches it to the build.
 *
 * <pre>{@code
 * mvn package -Dcella.externalSigning=true          # writes target/app-1.0.cella-payload
 * openssl dgst -sha384 -sign hsm-key.pem -out sig.der target/app-1.0.cella-payload
 * mvn cella:import-signature -Dcella.signature=sig.der -Dcella.signerCertificate=signer.pem
 * }</pre>
 *
 * <p>Maven runs each goal execution on one thread; the goal keeps no state between executions.
 */
@Mojo(name = "import-signature", threadSafe = true)
public final class ImportSignatureMojo extends AbstractMojo {
  private final MavenProjectHelper projectHelper;

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  MavenProject project;

  /** The unsigned bundle written by {@code bundle} with {@code externalSigning}. */
  @Parameter(property = "cella.unsignedFile",
      defaultValue = "${project.build.directory}/${project.build.finalName}-unsigned.cella")
  File unsignedFile;

  /** The DER signature of the payload. */
  @Parameter(property = "cella.signature", required = true)
  File signatureFile;

  /** The signer's certificate or public key (PEM). */
  @Parameter(property = "cella.signerCertificate", required = true)
  File signerCertificate;

  /** The signed bundle. */
  @Parameter(property = "cella.outputFile",
      defaultValue = "${project.build.directory}/${project.build.finalName}.cella")
  File outputFile;

  /** The classifier of the attached bundle. */
  @Parameter(property = "cella.classifier", defaultValue = "cella")
  String classifier;

  /** Whether the signed bundle is attached to the build. */
  @Parameter(property = "cella.attach", defaultValue = "true")
  boolean attach;

  /** Created by Maven with the build's project helper. */
  @Inject
  public ImportSignatureMojo(MavenProjectHelper projectHelper) {
    this.projectHelper = projectHelper;
  }

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    for (File f : new File[] {unsignedFile, signatureFile, signerCertificate}) {
      if (!Files.isRegularFile(f.toPath())) {
        throw new MojoFailureException("no such file: " + f
            + (f == unsignedFile ? " (build with -Dcella.externalSigning=true first)" : ""));
      }
    }
    Bundle bundle;
    try {
      UnsignedBundle unsigned = UnsignedBundle.open(unsignedFile.toPath());
      bundle = BundleFiles.importSignature(unsigned, signatureFile.toPath(),
          signerCertificate.toPath(), outputFile.toPath());
    } catch (InvalidBundleException | InvalidKeyException e) {
      throw new MojoFailureException(e.getMessage(), e);
    } catch (IOException e) {
      throw new MojoExecutionException("cannot write the signed bundle: " + e.getMessage(), e);
    }
    getLog().info("wrote " + outputFile + " (signed elsewhere, signature verified)");
    getLog().info("measurement " + bundle.measurement().hex());
    getLog().info("signer      " + bundle.signer().hex());
    if (attach) {
      projectHelper.attachArtifact(project, "cella", classifier, outputFile);
    }
  }
}
