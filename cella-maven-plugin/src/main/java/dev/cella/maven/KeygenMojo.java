package dev.cella.maven;

import dev.cella.bundle.BundleSigningKey;
import java.io.File;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Goal {@code keygen}: a new bundle signing key (ECDSA P-384), written as PKCS#8 PEM readable only
 * by its owner (mode 0600). An existing key is never replaced unless {@code force} is set; with
 * {@code skipIfExists} an existing key is kept and the goal does nothing, so a build can make a
 * development key on first use:
 *
 * <pre>{@code
 * mvn dev.cella:cella-maven-plugin:keygen -Dcella.keyFile=signing-key.pem
 *
 * <execution>
 *   <id>development-key</id><phase>prepare-package</phase><goals><goal>keygen</goal></goals>
 *   <configuration>
 *     <keyFile>${project.basedir}/signing-key.pem</keyFile><skipIfExists>true</skipIfExists>
 *   </configuration>
 * </execution>
 * }</pre>
 *
 * <p>Maven runs each goal execution on one thread; the goal keeps no state between executions.
 */
@Mojo(name = "keygen", requiresProject = false, threadSafe = true)
public final class KeygenMojo extends AbstractMojo {
  /** Where to write the key. */
  @Parameter(property = "cella.keyFile", required = true)
  File keyFile;

  /** Replace an existing key (the old key is lost). */
  @Parameter(property = "cella.force", defaultValue = "false")
  boolean force;

  /** Keep an existing key and do nothing. */
  @Parameter(property = "cella.skipIfExists", defaultValue = "false")
  boolean skipIfExists;

  /** Created by Maven. */
  public KeygenMojo() {}

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (Files.isDirectory(keyFile.toPath())) {
      throw new MojoFailureException(keyFile + " is a folder; keyFile names the key file to write");
    }
    if (Files.exists(keyFile.toPath()) && !force) {
      if (skipIfExists) {
        getLog().info("keeping the existing signing key " + keyFile);
        return;
      }
      throw new MojoFailureException(keyFile + " already exists; choose another keyFile, or set"
          + " -Dcella.force=true to replace it (the old key is then lost)");
    }
    try (BundleSigningKey key = BundleSigningKey.generate()) {
      Files.createDirectories(keyFile.getAbsoluteFile().getParentFile().toPath());
      key.writePem(keyFile.toPath(), force);
      getLog().info("wrote signing key " + keyFile + " (ECDSA P-384, mode 0600)");
      getLog().info("signer " + key.signerId().hex());
    } catch (FileAlreadyExistsException e) {
      throw new MojoFailureException(keyFile + " already exists", e);
    } catch (IOException e) {
      throw new MojoExecutionException("cannot write the key " + keyFile + ": " + e, e);
    }
  }
}
