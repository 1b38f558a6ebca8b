package dev.cella.enclave;

/**
 * The trusted part of an application, run inside the enclave: Asylo's {@code TrustedApplication}
 * in Java form. The bundle manifest names the implementing class, which needs a public no-argument
 * constructor.
 *
 * <pre>{@code
 * public final class Echo implements TrustedApplication {
 *   public byte[] run(byte[] input) { return input; }
 * }
 * }</pre>
 *
 * <p>{@link #run} is called from many host threads at once and must be thread-safe; {@link
 * #initialize} happens before, and {@link #finish} after, every {@code run}. An exception thrown
 * by one of these methods reaches the host as an {@link dev.cella.EnclaveException}: with its own
 * code when it is one, else as {@code INTERNAL} naming only the exception's class.
 */
public interface TrustedApplication {

  /** Called once before any {@code run}, with the configuration the host or manifest gave. */
  default void initialize(EnclaveContext context, byte[] config) {}

  /** Handles one input from the host and returns the output. */
  byte[] run(byte[] input);

  /** Called once after the last {@code run} (Asylo's {@code Finalize}); its output goes to the host. */
  default byte[] finish(byte[] finalInput) {
    return new byte[0];
  }
}
