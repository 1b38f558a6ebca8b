package dev.cella;

/**
 * A loaded, initialized enclave, seen from its host.
 *
 * <p>Lifecycle: an enclave is {@link EnclaveState#READY} once loaded; {@link #run(byte[])} may be
 * called any number of times from many threads at once; {@link #finish(byte[])} runs the
 * application's finalization once (Asylo's {@code Finalize}; not spelled {@code finalize} to keep
 * clear of {@link Object}'s); {@link #close()} destroys the enclave, finishing it first with an
 * empty input if needed. A call in the wrong state fails with {@code FAILED_PRECONDITION}; every
 * call to an enclave that died fails with {@code UNAVAILABLE}.
 *
 * <pre>{@code
 * try (EnclaveManager manager = EnclaveManager.create();
 *      Enclave enclave = manager.load("signer", Path.of("signer.cella"), EnclaveOptions.defaults())) {
 *   byte[] output = enclave.run("hello".getBytes(UTF_8));
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public interface Enclave extends AutoCloseable {

  /** The name the enclave was loaded under, unique within its manager. */
  String name();

  /** The identity the platform measured and verified when it loaded the bundle. */
  EnclaveIdentity identity();

  /** The backend that runs it. */
  BackendInfo backend();

  /** Where the enclave is in its lifecycle now. */
  EnclaveState state();

  /**
   * Passes {@code input} to the application's {@code run} and returns its output.
   *
   * @throws EnclaveException with the application's code, {@code FAILED_PRECONDITION} when not
   *     ready, {@code UNAVAILABLE} when the enclave died, {@code INVALID_ARGUMENT} when the input
   *     is larger than the manifest's frame limit
   */
  byte[] run(byte[] input);

  /**
   * Runs the application's finalization with {@code finalInput} and returns its output. Waits for
   * calls in flight; later calls but {@link #close()} fail with {@code FAILED_PRECONDITION}.
   */
  byte[] finish(byte[] finalInput);

  /** Finishes the enclave if it was not, then destroys it. Idempotent. */
  @Override
  void close();
}
