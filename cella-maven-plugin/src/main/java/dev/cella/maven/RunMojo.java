package dev.cella.maven;

import dev.cella.Enclave;
import dev.cella.EnclaveException;
import dev.cella.EnclaveOptions;
import dev.cella.SecurityLevel;
import dev.cella.host.EnclaveManager;
import dev.cella.maven.internal.BundleFiles;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Goal {@code run}: loads a bundle as an enclave on a named backend, initializes it, runs it once
 * with the input, finishes it and logs its output (UTF-8 text; binary output goes to {@code
 * outputFile}). The backends are those on the plugin's class path: {@code sim} comes with the
 * plugin; add others as plugin dependencies.
 *
 * <pre>{@code
 * mvn package cella:run -Dcella.input=world
 * mvn cella:run -Dcella.bundle=target/app-1.0.cella -Dcella.backend=process -Dcella.inputFile=in.bin
 * }</pre>
 *
 * <p>Maven runs each goal execution on one thread; the goal keeps no state between executions.
 */
@Mojo(name = "run", requiresProject = false, threadSafe = true)
public final class RunMojo extends AbstractMojo {
  /** The signed bundle. */
  @Parameter(property = "cella.bundle",
      defaultValue = "${project.build.directory}/${project.build.finalName}.cella")
  File bundle;

  /** The backend; default {@code $CELLA_BACKEND}, else {@code sim}. */
  @Parameter(property = "cella.backend")
  String backend;

  /** The input, as UTF-8 text. */
  @Parameter(property = "cella.input")
  String input;

  /** The input, read from a file. */
  @Parameter(property = "cella.inputFile")
  File inputFile;

  /** Write the output to this file instead of the log. */
  @Parameter(property = "cella.runOutputFile")
  File outputFile;

  /** Created by Maven. */
  public RunMojo() {}

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (input != null && inputFile != null) {
      throw new MojoFailureException("give cella.input or cella.inputFile, not both");
    }
    if (!Files.isRegularFile(bundle.toPath())) {
      throw new MojoFailureException("no such bundle: " + bundle + " (build it with mvn package,"
          + " or name it with -Dcella.bundle=FILE.cella)");
    }
    byte[] in;
    try {
      in = inputFile != null ? Files.readAllBytes(inputFile.toPath())
          : input != null ? input.getBytes(StandardCharsets.UTF_8) : new byte[0];
    } catch (IOException e) {
      throw new MojoFailureException("cannot read the input file " + inputFile + ": " + e, e);
    }
    EnclaveOptions.Builder options = EnclaveOptions.builder();
    byte[] output;
    try {
      if (backend != null && !backend.isBlank()) {
        options.backend(backend.strip());
      }
      try (EnclaveManager manager = EnclaveManager.create();
           Enclave enclave = manager.load(enclaveName(), bundle.toPath(), options.build())) {
        getLog().info("enclave " + enclave.name() + " on backend " + enclave.backend().name()
            + ", measurement " + enclave.identity().measurement().hex());
        if (enclave.backend().securityLevel() == SecurityLevel.NONE) {
          getLog().warn("backend '" + enclave.backend().name() + "' isolates nothing (development only)");
        }
        output = enclave.run(in);
        enclave.finish(new byte[0]);
      }
    } catch (IllegalArgumentException e) {
      throw new MojoFailureException(e.getMessage(), e);
    } catch (EnclaveException e) {
      throw new MojoFailureException("running " + bundle + " failed: " + e.getMessage()
          + " (" + e.code() + ")", e);
    }
    if (outputFile != null) {
      try {
        BundleFiles.writeAtomically(outputFile.toPath(), output);
      } catch (IOException e) {
        throw new MojoExecutionException("cannot write " + outputFile + ": " + e, e);
      }
      getLog().info("wrote the output (" + output.length + " bytes) to " + outputFile);
      return;
    }
    String text = utf8OrNull(output);
    if (text == null) {
      throw new MojoFailureException("the enclave's output is " + output.length + " bytes of binary"
          + " data, not text; write it to a file with -Dcella.runOutputFile=FILE");
    }
    getLog().info("output (" + output.length + " bytes):");
    text.lines().forEach(line -> getLog().info("  " + printable(line)));
  }

  private String enclaveName() {
    String file = bundle.getName();
    String base = file.endsWith(".cella") ? file.substring(0, file.length() - 6) : file;
    String cleaned = base.replaceAll("[^A-Za-z0-9._-]", "-");
    if (cleaned.isEmpty() || !Character.isLetterOrDigit(cleaned.charAt(0))) {
      cleaned = "enclave" + cleaned;
    }
    return cleaned.length() > 64 ? cleaned.substring(0, 64) : cleaned;
  }

  private static String utf8OrNull(byte[] output) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(output)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** Enclave output is untrusted: control characters are escaped before they reach a terminal. */
  private static String printable(String line) {
    StringBuilder out = new StringBuilder(line.length());
    line.codePoints().forEach(c -> {
      if (c == '\t' || !Character.isISOControl(c)) {
        out.appendCodePoint(c);
      } else {
        out.append(String.format("\\u%04x", c));
      }
    });
    return out.toString();
  }
}
