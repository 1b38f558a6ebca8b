package dev.cella;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Where an application bundle's program (application mode) reads its standard input and writes
 * its standard output and error, on backends that relay them (the {@code process} backend). On
 * {@code sim} the program runs in the host JVM and uses that JVM's own {@code System.in}, {@code
 * out} and {@code err}.
 *
 * <pre>{@code
 * EnclaveOptions options = EnclaveOptions.builder().programIo(ProgramIo.inherit()).build();
 * }</pre>
 *
 * <p>Immutable; the streams are used from the enclave's host-call threads, one call at a time
 * per stream.
 *
 * @param in standard input
 * @param out standard output
 * @param err standard error
 */
public record ProgramIo(InputStream in, OutputStream out, OutputStream err) {
  public ProgramIo {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(err, "err");
  }

  /** The host process's own standard streams, as {@code cella run} uses them. */
  public static ProgramIo inherit() {
    return new ProgramIo(System.in, System.out, System.err);
  }

  /** The default: no input (end of input at once), output to the host's standard streams. */
  public static ProgramIo noInput() {
    return new ProgramIo(InputStream.nullInputStream(), System.out, System.err);
  }
}
