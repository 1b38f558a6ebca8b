package dev.cella;

import java.net.InetSocketAddress;

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

  /**
   * A proxy of an {@link EnclaveService} the bundle provides. Each call crosses the boundary
   * through a codec derived from the interface's signatures. The proxy is thread-safe and may be
   * kept; it fails like {@link #run} once the enclave is finished, closed or crashed.
   *
   * @throws EnclaveException {@code NOT_FOUND} if the bundle provides no such service, {@code
   *     FAILED_PRECONDITION} if the enclave's copy of the interface differs from the host's,
   *     {@code INVALID_ARGUMENT} if the interface uses a type that cannot cross the boundary
   */
  <T> T service(Class<T> serviceInterface);

  /**
   * Evidence of this enclave's identity, signed by its platform, binding {@code nonce} (a
   * verifier's challenge) and {@code reportData} (at most 64 bytes each). Verify it with {@code
   * AttestationVerifier} in {@code cella-attestation}.
   *
   * @throws EnclaveException {@code INVALID_ARGUMENT} for oversized inputs, {@code
   *     FAILED_PRECONDITION} when the enclave is not ready, {@code UNAVAILABLE} when it crashed
   */
  byte[] attest(byte[] nonce, byte[] reportData);

  /**
   * Where the host reaches the enclave's TCP server for the manifest's listen grant {@code port}.
   * On backends that relay the enclave's network (process, vm) it is the host address the relay
   * accepts on (loopback at {@code port} unless {@code EnclaveOptions.Builder.listenAddress} chose
   * another); on sim, whose enclave opens its own sockets in the host's network, it is loopback at
   * {@code port}.
   *
   * @throws EnclaveException {@code NOT_FOUND} when the manifest grants no listening on {@code
   *     port}, {@code FAILED_PRECONDITION} when the enclave is closed
   */
  InetSocketAddress listenAddress(int port);

  /**
   * Runs the program of an application bundle (application mode): its unmodified {@code main},
   * with the manifest's arguments followed by {@code args}, its standard streams the options'
   * {@link ProgramIo}, its files only what the manifest grants. Returns when the program ends;
   * once per enclave. A {@code System.exit} inside ends the enclave (on {@code process}) and is
   * returned as {@link ProgramExit.How#EXITED}; on {@code sim} it ends the host JVM.
   *
   * @throws EnclaveException {@code FAILED_PRECONDITION} if the bundle has no application or
   *     the program was already started, or the backend cannot honour the manifest (sim and
   *     sealed mounts); {@code UNAVAILABLE} if the enclave crashed
   */
  ProgramExit runProgram(java.util.List<String> args);

  /** Finishes the enclave if it was not, then destroys it. Idempotent. */
  @Override
  void close();
}
