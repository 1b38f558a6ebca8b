package dev.cella.host.internal;

import dev.cella.BackendInfo;
import dev.cella.Enclave;
import dev.cella.EnclaveException;
import dev.cella.EnclaveIdentity;
import dev.cella.EnclaveLimits;
import dev.cella.EnclaveService;
import dev.cella.EnclaveState;
import dev.cella.EnclaveStatus.Code;
import dev.cella.ProgramExit;
import dev.cella.protocol.ProgramMessages;
import java.util.List;
import java.util.Optional;
import dev.cella.protocol.FrameType;
import dev.cella.protocol.EvidenceRequest;
import dev.cella.protocol.Frames;
import dev.cella.protocol.ServiceBinding;
import dev.cella.protocol.codec.CodecLimits;
import dev.cella.protocol.codec.ServiceCodec;
import dev.cella.protocol.services.ProxyCache;
import dev.cella.protocol.services.ServiceProxies;
import dev.cella.spi.EnclaveConnection;
import dev.cella.spi.FrameParts;
import java.lang.ref.Cleaner;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The host's handle on one enclave, the same for every backend: the lifecycle state machine, the
 * gate that lets finalization wait for calls in flight, crash detection, and the frames of the
 * bytes API. The backend only moves the frames.
 *
 * <p>Thread-safe.
 */
public final class HostEnclave implements Enclave {
  private static final System.Logger LOG = System.getLogger(HostEnclave.class.getName());
  private static final Cleaner CLEANER = Cleaner.create();
  /** How long {@link #finish} waits for calls in flight. */
  static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

  private final String name;
  private final EnclaveIdentity identity;
  private final BackendInfo backend;
  private final EnclaveConnection connection;
  private final int maxPayloadBytes;
  private final CodecLimits codecLimits;
  private final ProxyCache services = new ProxyCache();
  private final CallGate gate = new CallGate();
  private final AtomicReference<EnclaveState> state = new AtomicReference<>(EnclaveState.READY);
  private final AtomicBoolean finishing = new AtomicBoolean();
  private final String finishedMessage; // built once: every call passes it to the gate
  private final Function<EvidenceRequest, byte[]> attester;
  private final IntFunction<InetSocketAddress> listenAddresses;
  private final Resources resources;
  private final Cleaner.Cleanable cleanable;
  private final ProgramHost programOrNull;

  /**
   * What must be freed when the enclave goes away, also when its handle is leaked: kept apart
   * from the handle so that the {@link Cleaner} does not keep the handle reachable.
   */
  private static final class Resources implements Runnable {
    private final String name;
    private final EnclaveConnection connection;
    private final Runnable onClose;
    private volatile boolean closedExplicitly;

    Resources(String name, EnclaveConnection connection, Runnable onClose) {
      this.name = name;
      this.connection = connection;
      this.onClose = onClose;
    }

    @Override
    public void run() {
      if (!closedExplicitly) {
        LOG.log(System.Logger.Level.WARNING,
            "enclave ''{0}'' became unreachable without close(); destroying it", name);
      }
      try {
        connection.close();
      } finally {
        onClose.run();
      }
    }
  }

  /**
   * @param connection a connection whose runtime is already initialized
   * @param listenAddresses where the host reaches the enclave's listen grant of a port
   * @param onClose runs once when the enclave is destroyed (frees files, unregisters the name)
   */
  public HostEnclave(String name, EnclaveIdentity identity, BackendInfo backend,
      EnclaveConnection connection, EnclaveLimits limits,
      Function<EvidenceRequest, byte[]> attester, IntFunction<InetSocketAddress> listenAddresses,
      Runnable onClose) {
    this(name, identity, backend, connection, limits, attester, listenAddresses, onClose, null);
  }

  /** @param programOrNull the program of an application bundle and its streams */
  HostEnclave(String name, EnclaveIdentity identity, BackendInfo backend,
      EnclaveConnection connection, EnclaveLimits limits,
      Function<EvidenceRequest, byte[]> attester, IntFunction<InetSocketAddress> listenAddresses,
      Runnable onClose, ProgramHost programOrNull) {
    this.programOrNull = programOrNull;
    this.name = Objects.requireNonNull(name, "name");
    this.finishedMessage = "enclave '" + name + "' is finished";
    this.identity = Objects.requireNonNull(identity, "identity");
    this.backend = Objects.requireNonNull(backend, "backend");
    this.connection = Objects.requireNonNull(connection, "connection");
    this.maxPayloadBytes = limits.maxFrameBytes() - Frames.HEADER;
    this.codecLimits = CodecLimits.of(limits);
    this.attester = Objects.requireNonNull(attester, "attester");
    this.listenAddresses = Objects.requireNonNull(listenAddresses, "listenAddresses");
    this.resources = new Resources(name, connection, onClose);
    this.cleanable = CLEANER.register(this, resources);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public EnclaveIdentity identity() {
    return identity;
  }

  @Override
  public BackendInfo backend() {
    return backend;
  }

  @Override
  public EnclaveState state() {
    return state.get();
  }

  @Override
  public byte[] run(byte[] input) {
    Objects.requireNonNull(input, "input");
    checkSize(input.length, "input");
    // The input goes as the frame's second part: a backend that copies it across a boundary
    // copies it once, and the output comes back the same way.
    FrameParts request = Frames.parts(FrameType.RUN, input);
    admit();
    try {
      return Frames.result(connection.call(request));
    } catch (EnclaveException e) {
      throw noteCrash(e);
    } finally {
      gate.exit();
    }
  }

  /**
   * Sends one request frame through the gate and returns the payload of its OK response. For the
   * bytes API and for typed calls alike.
   */
  public byte[] call(byte[] frame) {
    return Frames.result(exchange(frame));
  }

  /** Sends a frame through the call gate and returns the enclave's response frame, unchecked. */
  private byte[] exchange(byte[] frame) {
    // Written out as in run, not through a shared lambda: a typed call's chain from the proxy to
    // the implementation is deep, and every level here counts against the JIT's inlining depth.
    admit();
    try {
      return connection.call(frame);
    } catch (EnclaveException e) {
      throw noteCrash(e);
    } finally {
      gate.exit();
    }
  }

  @Override
  public byte[] attest(byte[] nonce, byte[] reportData) {
    EvidenceRequest request;
    try {
      request = new EvidenceRequest(dev.cella.Bytes.of(nonce), dev.cella.Bytes.of(reportData));
    } catch (IllegalArgumentException e) {
      throw new EnclaveException(Code.INVALID_ARGUMENT, e.getMessage());
    }
    admit();
    try {
      return attester.apply(request);
    } finally {
      gate.exit();
    }
  }

  @Override
  public ProgramExit runProgram(List<String> args) {
    List<String> extra = List.copyOf(args);
    if (programOrNull == null) {
      throw new EnclaveException(Code.FAILED_PRECONDITION, "enclave '" + name
          + "' is not an application bundle: its manifest names no main class");
    }
    byte[] frame = Frames.frame(FrameType.PROGRAM_START, programOrNull.start(extra).encode());
    checkSize(frame.length, "program start");
    try {
      ProgramMessages.End end = ProgramMessages.End.decode(call(frame));
      if (end.endingOrNull() == null) {
        throw new EnclaveException(Code.INTERNAL, "enclave '" + name
            + "' answered the program's start without saying how it ended");
      }
      return new ProgramExit(end.endingOrNull() == ProgramMessages.Ending.RETURNED
          ? ProgramExit.How.RETURNED : ProgramExit.How.UNCAUGHT_EXCEPTION, end.status(),
          hint(end.hint()));
    } catch (EnclaveException e) {
      ProgramMessages.End exit = programOrNull.exitOrNull();
      if (exit != null && e.code() == Code.UNAVAILABLE) {
        return new ProgramExit(ProgramExit.How.EXITED, exit.status(), hint(exit.hint()));
      }
      throw e;
    }
  }

  /** The enclave's hint as one printable line, or none. */
  private static Optional<String> hint(String text) {
    String line = text.replaceAll("[\\p{Cntrl}]", " ").strip();
    return line.isEmpty() ? Optional.empty()
        : Optional.of(line.length() > 500 ? line.substring(0, 500) + "…" : line);
  }

  @Override
  public <T> T service(Class<T> serviceInterface) {
    return services.get(serviceInterface, this::bindService);
  }

  private <T> T bindService(Class<T> serviceInterface) {
    if (!serviceInterface.isInterface()
        || !serviceInterface.isAnnotationPresent(EnclaveService.class)) {
      throw new EnclaveException(Code.INVALID_ARGUMENT, serviceInterface.getName()
          + " is not an interface annotated @dev.cella.EnclaveService");
    }
    ServiceCodec codec = ServiceCodec.of(serviceInterface, codecLimits);
    call(Frames.frame(FrameType.BIND_SERVICE,
        new ServiceBinding(codec.interfaceName(), codec.fingerprint()).encode()));
    return ServiceProxies.create(serviceInterface, codec, FrameType.INVOKE, this::exchange,
        serviceInterface.getSimpleName() + " in enclave '" + name + "'");
  }

  @Override
  public InetSocketAddress listenAddress(int port) {
    if (state.get() == EnclaveState.CLOSED) {
      throw new EnclaveException(Code.FAILED_PRECONDITION, "enclave '" + name + "' is closed");
    }
    return listenAddresses.apply(port);
  }

  @Override
  public byte[] finish(byte[] finalInput) {
    Objects.requireNonNull(finalInput, "finalInput");
    checkSize(finalInput.length, "final input");
    requireReady();
    if (!finishing.compareAndSet(false, true)) {
      throw new EnclaveException(Code.FAILED_PRECONDITION,
          "enclave '" + name + "' is already finishing or finished");
    }
    if (!gate.closeAndAwait(DRAIN_TIMEOUT)) {
      throw new EnclaveException(Code.DEADLINE_EXCEEDED, "enclave '" + name
          + "': calls still in flight after " + DRAIN_TIMEOUT.toSeconds()
          + " s; finish() cannot be called from inside a call to the same enclave");
    }
    try {
      return Frames.result(connection.call(Frames.frame(FrameType.FINISH, finalInput)));
    } catch (EnclaveException e) {
      throw noteCrash(e);
    } finally {
      state.compareAndSet(EnclaveState.READY, EnclaveState.FINISHED);
    }
  }

  @Override
  public void close() {
    if (state.get() == EnclaveState.CLOSED) {
      return;
    }
    try {
      if (state.get() == EnclaveState.READY && !finishing.get()) {
        finish(new byte[0]);
      }
    } catch (EnclaveException e) {
      LOG.log(System.Logger.Level.DEBUG, "finishing enclave ''{0}'' on close failed: {1}", name,
          e.getMessage());
    } finally {
      gate.closeAndAwait(Duration.ZERO);
      EnclaveState before = state.getAndSet(EnclaveState.CLOSED);
      if (before != EnclaveState.CLOSED) {
        resources.closedExplicitly = true;
        cleanable.clean();
      }
    }
  }

  @Override
  public String toString() {
    return "Enclave[" + name + ", " + backend.name() + ", " + state.get() + "]";
  }

  private void admit() {
    requireReady();
    gate.enter(finishedMessage);
  }

  private void requireReady() {
    EnclaveState now = state.get();
    switch (now) {
      case READY -> { }
      case CRASHED -> throw new EnclaveException(Code.UNAVAILABLE,
          "enclave '" + name + "' has crashed; close it and load it again");
      case FINISHED -> throw new EnclaveException(Code.FAILED_PRECONDITION,
          "enclave '" + name + "' is finished");
      case CLOSED -> throw new EnclaveException(Code.FAILED_PRECONDITION,
          "enclave '" + name + "' is closed");
    }
  }

  private void checkSize(int length, String what) {
    if (length > maxPayloadBytes) {
      throw new EnclaveException(Code.INVALID_ARGUMENT, what + " of " + length
          + " bytes is larger than the enclave's frame limit of " + maxPayloadBytes + " bytes");
    }
  }

  private EnclaveException noteCrash(EnclaveException e) {
    if (e.code() == Code.UNAVAILABLE && !connection.isAlive()) {
      state.compareAndSet(EnclaveState.READY, EnclaveState.CRASHED);
      state.compareAndSet(EnclaveState.FINISHED, EnclaveState.CRASHED);
    }
    return e;
  }
}
