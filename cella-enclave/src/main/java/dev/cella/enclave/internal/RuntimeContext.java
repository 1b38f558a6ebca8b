package dev.cella.enclave.internal;

import dev.cella.Bytes;
import dev.cella.EnclaveException;
import dev.cella.EnclaveIdentity;
import dev.cella.EnclaveLimits;
import dev.cella.EnclaveStatus.Code;
import dev.cella.HostService;
import dev.cella.attestation.AttestationException;
import dev.cella.attestation.AttestationPolicy;
import dev.cella.attestation.cose.CellaEvidence;
import dev.cella.attestation.ratls.RaTlsCertificateException;
import dev.cella.enclave.EnclaveChannel;
import dev.cella.enclave.EnclaveContext;
import dev.cella.enclave.internal.channel.ChannelHub;
import dev.cella.enclave.internal.channel.Channels;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import dev.cella.enclave.sealing.SealPolicy;
import dev.cella.enclave.sealing.SealedFileSystems;
import dev.cella.enclave.sealing.Sealer;
import dev.cella.enclave.sealing.SealingKeys;
import dev.cella.protocol.StorageRequest;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.util.Arrays;
import dev.cella.protocol.EvidenceRequest;
import dev.cella.protocol.FrameType;
import dev.cella.protocol.InitMessage;
import dev.cella.protocol.ServiceBinding;
import dev.cella.protocol.codec.CodecLimits;
import dev.cella.protocol.codec.ServiceCodec;
import dev.cella.protocol.services.ProxyCache;
import dev.cella.protocol.services.ServiceProxies;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The {@link EnclaveContext} handed to the application.
 *
 * <p>Thread-safe.
 */
final class RuntimeContext implements EnclaveContext, AutoCloseable {
  /** The prefix of the stores of sealed mounts; see {@code StorageRequest#MOUNT_STORE_PREFIX}. */
  static final String MOUNT_STORE_PREFIX = StorageRequest.MOUNT_STORE_PREFIX;
  private final String enclaveName;
  private final EnclaveIdentity identity;
  private final EnclaveLimits limits;
  private final HostLink host;
  private final ProxyCache hostServices = new ProxyCache();
  private final SealingKeys sealingKeys;
  private final Map<String, FileSystem> fileSystems = new HashMap<>();
  private final ChannelHub hub;
  private final Channels channels;
  private volatile X509Certificate platformRoot;

  RuntimeContext(InitMessage init, HostLink host, ChannelHub hub) {
    this.enclaveName = init.enclaveName();
    this.identity = init.identity();
    this.limits = init.limits();
    this.host = host;
    this.hub = hub;
    hub.start(limits.maxFrameBytes());
    this.channels = new Channels(hub, host::call, this);
    byte[] measurementKey = init.measurementSealingKey();
    byte[] signerKey = init.signerSealingKey();
    try {
      this.sealingKeys = SealingKeys.fromChainKeys(identity, measurementKey, signerKey);
    } finally {
      Arrays.fill(measurementKey, (byte) 0);
      Arrays.fill(signerKey, (byte) 0);
    }
  }

  @Override
  public String enclaveName() {
    return enclaveName;
  }

  @Override
  public EnclaveIdentity identity() {
    return identity;
  }

  @Override
  public EnclaveLimits limits() {
    return limits;
  }

  @Override
  public <T> T host(Class<T> serviceInterface) {
    return hostServices.get(serviceInterface, this::bind);
  }

  private <T> T bind(Class<T> serviceInterface) {
    if (!serviceInterface.isInterface() || !serviceInterface.isAnnotationPresent(HostService.class)) {
      throw new EnclaveException(Code.INVALID_ARGUMENT, serviceInterface.getName()
          + " is not an interface annotated @dev.cella.HostService");
    }
    ServiceCodec codec = ServiceCodec.of(serviceInterface, CodecLimits.of(limits));
    host.call(FrameType.HOST_BIND,
        new ServiceBinding(codec.interfaceName(), codec.fingerprint()).encode());
    return ServiceProxies.create(serviceInterface, codec, FrameType.HOST_INVOKE, host::exchange,
        serviceInterface.getSimpleName() + " of the host of enclave '" + enclaveName + "'");
  }

  @Override
  public byte[] evidence(byte[] nonce, byte[] reportData) {
    EvidenceRequest request;
    try {
      request = new EvidenceRequest(Bytes.of(nonce), Bytes.of(reportData));
    } catch (IllegalArgumentException e) {
      throw new EnclaveException(Code.INVALID_ARGUMENT, e.getMessage());
    }
    return host.call(FrameType.PLATFORM_EVIDENCE, request.encode());
  }

  @Override
  public Sealer sealer(SealPolicy policy) {
    return sealingKeys.sealer(policy);
  }

  @Override
  public FileSystem sealedFileSystem() throws IOException {
    return sealedFileSystem("default", SealPolicy.SIGNER);
  }

  @Override
  public FileSystem sealedFileSystem(String store, SealPolicy policy) throws IOException {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(policy, "policy");
    if (!StorageRequest.STORE_NAME.matcher(store).matches()) {
      throw new IllegalArgumentException("a store name is 1 to 64 of [A-Za-z0-9._-], got '"
          + store + "'");
    }
    if (store.startsWith(MOUNT_STORE_PREFIX)) {
      throw new IllegalArgumentException("store names starting with '" + MOUNT_STORE_PREFIX
          + "' are the sealed mounts of application bundles");
    }
    return openStore(store, policy);
  }

  /**
   * The sealed file system of the manifest's file grant number {@code index} (a sealed mount of
   * an application bundle): store {@code cella-mount-INDEX}, which the host keeps in the grant's
   * host folder; sealed with {@link SealPolicy#SIGNER}, so later signed versions read it.
   */
  FileSystem mountFileSystem(int index) throws IOException {
    return openStore(MOUNT_STORE_PREFIX + index, SealPolicy.SIGNER);
  }

  private FileSystem openStore(String store, SealPolicy policy) throws IOException {
    synchronized (fileSystems) {
      FileSystem open = fileSystems.get(store);
      if (open != null && open.isOpen()) {
        return open;
      }
      RemoteStore remote = new RemoteStore(host, store, limits.maxFrameBytes());
      FileSystem fs = SealedFileSystems.open(store, sealingKeys.sealer(policy), remote, remote);
      fileSystems.put(store, fs);
      return fs;
    }
  }

  @Override
  public EnclaveChannel connect(String peerName, AttestationPolicy policy, Duration timeout)
      throws RaTlsCertificateException {
    return channels.connect(peerName, policy, timeout);
  }

  @Override
  public EnclaveChannel accept(AttestationPolicy policy, Duration timeout)
      throws RaTlsCertificateException {
    return channels.accept(policy, timeout);
  }

  @Override
  public X509Certificate platformRoot() {
    X509Certificate root = platformRoot;
    if (root == null) {
      try {
        root = CellaEvidence.platformRoot(evidence(new byte[0], new byte[0]), Instant.now());
      } catch (AttestationException e) {
        throw new EnclaveException(Code.FAILED_PRECONDITION,
            "this platform's evidence names no usable root: " + e.getMessage(), e);
      }
      platformRoot = root;
    }
    return root;
  }

  /** Closes the channels and sealed file systems and wipes the sealing keys. Idempotent. */
  @Override
  public void close() {
    hub.close();
    hostServices.clear();
    synchronized (fileSystems) {
      for (FileSystem fs : fileSystems.values()) {
        try {
          fs.close();
        } catch (IOException | RuntimeException ignored) {
          // Committed writes are durable; an uncommitted one is dropped, as after a crash.
        }
      }
      fileSystems.clear();
    }
    sealingKeys.close();
  }
}
