package dev.cella.enclave;

import dev.cella.EnclaveIdentity;
import dev.cella.EnclaveLimits;
import dev.cella.attestation.AttestationPolicy;
import dev.cella.attestation.ratls.EvidenceSource;
import dev.cella.attestation.ratls.RaTlsCertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import dev.cella.enclave.sealing.SealPolicy;
import dev.cella.enclave.sealing.Sealer;
import java.nio.file.FileSystem;

/**
 * What the enclave knows of itself and what its platform offers it. Handed to {@link
 * TrustedApplication#initialize}; valid for the enclave's whole life.
 *
 * <p>Thread-safe.
 */
public interface EnclaveContext extends EvidenceSource {

  /** The name the host loaded the enclave under. Chosen by the host: not a security claim. */
  String enclaveName();

  /** The identity the platform measured for this enclave. */
  EnclaveIdentity identity();

  /** The limits of the enclave's manifest. */
  EnclaveLimits limits();

  /**
   * A proxy of a {@link dev.cella.HostService} the host registered when it loaded the enclave.
   * What its methods return is the host's word: untrusted input, checked for shape and size by the
   * codec, never for truth. Thread-safe; may be kept.
   *
   * @throws dev.cella.EnclaveException {@code NOT_FOUND} if the host registered no such service,
   *     {@code FAILED_PRECONDITION} if the host's copy of the interface differs from the
   *     enclave's
   */
  <T> T host(Class<T> serviceInterface);

  /**
   * Evidence of this enclave's identity from its platform, binding {@code nonce} and {@code
   * reportData} (each at most 64 bytes; e.g. a verifier's challenge and a hash of a public key).
   * The platform signs the identity it measured, whatever the enclave claims. (This makes the
   * context an {@link EvidenceSource} for RA-TLS certificates.)
   */
  @Override
  byte[] evidence(byte[] nonce, byte[] reportData);

  /**
   * The sealer for {@code policy}: AES-256-GCM with keys the platform derived for this enclave's
   * identity ({@link SealPolicy#MEASUREMENT}: this bundle only; {@link SealPolicy#SIGNER}: any
   * bundle of the same signer and product id at this or a higher SVN).
   */
  Sealer sealer(SealPolicy policy);

  /**
   * The enclave's default sealed file system: store {@code "default"}, sealed with {@link
   * SealPolicy#SIGNER} so that later signed versions can read it. Same as {@code
   * sealedFileSystem("default", SealPolicy.SIGNER)}.
   */
  FileSystem sealedFileSystem() throws java.io.IOException;

  /**
   * A sealed file system whose files the host keeps only as ciphertext, detecting modified,
   * truncated, swapped and rolled-back files (see docs/sealing.md). Opened once per store and
   * kept open for the enclave's life: every call with the same name returns the same file system.
   *
   * @param store the store's name, 1 to 64 of {@code [A-Za-z0-9._-]}
   * @throws dev.cella.enclave.sealing.SealedStorageException when the store fails its integrity
   *     checks
   */
  FileSystem sealedFileSystem(String store, SealPolicy policy) throws java.io.IOException;

  /** How long {@link #connect(String, AttestationPolicy)} and {@link #accept} wait by default. */
  Duration DEFAULT_CHANNEL_TIMEOUT = Duration.ofSeconds(30);

  /** {@link #connect(String, AttestationPolicy, Duration)} with the default timeout. */
  default EnclaveChannel connect(String peerName, AttestationPolicy policy)
      throws RaTlsCertificateException {
    return connect(peerName, policy, DEFAULT_CHANNEL_TIMEOUT);
  }

  /**
   * Opens a channel to the enclave the host loaded as {@code peerName} (in the same {@code
   * EnclaveManager}), once that enclave {@link #accept accepts}: mutual RA-TLS over bytes the host
   * relays, this side the TLS client. The peer must attest under {@code policy}; it verifies this
   * enclave under its own. The name only routes: trust comes from {@link EnclaveChannel#peer()}.
   *
   * @param timeout for the peer to accept and the handshake to finish, at most 10 minutes
   * @throws RaTlsCertificateException if the peer's certificate fails {@code policy}
   * @throws dev.cella.EnclaveException {@code NOT_FOUND} if no such enclave is loaded, {@code
   *     DEADLINE_EXCEEDED} if it did not accept in time, {@code UNAVAILABLE} if it went away,
   *     {@code PERMISSION_DENIED} if it refused this enclave
   */
  EnclaveChannel connect(String peerName, AttestationPolicy policy, Duration timeout)
      throws RaTlsCertificateException;

  /** {@link #accept(AttestationPolicy, Duration)} with the default timeout. */
  default EnclaveChannel accept(AttestationPolicy policy) throws RaTlsCertificateException {
    return accept(policy, DEFAULT_CHANNEL_TIMEOUT);
  }

  /**
   * Waits for another enclave's {@link #connect} and completes mutual RA-TLS with it, this side
   * the TLS server. The connecting enclave must attest under {@code policy}.
   *
   * @param timeout for a peer to connect and the handshake to finish, at most 10 minutes
   * @throws RaTlsCertificateException if the peer's certificate fails {@code policy}
   * @throws dev.cella.EnclaveException {@code DEADLINE_EXCEEDED} if no enclave connected in time,
   *     {@code PERMISSION_DENIED} if the peer refused this enclave
   */
  EnclaveChannel accept(AttestationPolicy policy, Duration timeout)
      throws RaTlsCertificateException;

  /**
   * The root certificate of the platform that vouches for this enclave, taken from (and checked
   * against) this enclave's own evidence: what a policy trusts for "enclaves on the platform I run
   * on" (local attestation), e.g. {@code AttestationPolicy.builder().signer(...)
   * .trustSoftwarePlatform(context.platformRoot())}. For software platforms the platform is the
   * host's launcher, so this root is exactly as trustworthy as that platform.
   *
   * @throws dev.cella.EnclaveException {@code FAILED_PRECONDITION} if the platform's evidence has
   *     no certificate chain of a known format
   */
  X509Certificate platformRoot();
}
