package dev.cella.enclave.internal;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.enclave.TrustedApplication;
import dev.cella.enclave.internal.channel.ChannelHub;
import dev.cella.enclave.internal.net.NetworkPlan;
import dev.cella.enclave.internal.net.StreamRelay;
import dev.cella.protocol.FrameType;
import dev.cella.protocol.Frames;
import dev.cella.protocol.InitMessage;
import dev.cella.protocol.ProtocolException;
import dev.cella.spi.FrameParts;
import java.lang.reflect.InvocationTargetException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The enclave end of the boundary: takes request frames from the host and answers each with a
 * response frame. Every backend starts exactly this class inside the enclave ({@code
 * LaunchRequest.RUNTIME_ENTRY}); its constructor takes the function through which the enclave
 * sends frames to the host. Only JDK types cross, so the host and the enclave need not share a
 * class loader.
 *
 * <p>The runtime trusts nothing the host sends: every frame is decoded defensively, the lifecycle
 * is enforced here as well as on the host, and a failure of the application reaches the host as
 * its {@link EnclaveException} code and message or as {@code INTERNAL} with the class name of what
 * was thrown, never a stack trace or a message that could carry enclave data.
 *
 * <p>Thread-safe: the host calls {@link #apply} from many threads at once.
 */
public final class EnclaveRuntime implements UnaryOperator<byte[]> {
  private enum Phase { NEW, STARTING, READY, FINISHED }

  private final HostLink host;
  private final boolean ownsJvm;
  private final ChannelHub channels = new ChannelHub();
  private final StreamRelay streams;
  private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.NEW);
  private volatile Application application;
  private volatile ThreadLimit threads;

  /**
   * A runtime that relays no TCP streams: for backends whose enclave uses the host's network
   * directly (sim), where the manifest's network grants are not enforced.
   *
   * @param toHost sends a frame to the host and returns the host's response frame
   */
  public EnclaveRuntime(UnaryOperator<byte[]> toHost) {
    this(toHost, NetworkPlan.NONE, false);
  }

  /**
   * A runtime for an enclave whose only network is loopback (process, vm): it relays TCP streams
   * through the host for exactly the grants of {@code network}, which the caller took from the
   * manifest it measured itself.
   *
   * @param toHost sends a frame to the host and returns the host's response frame
   * @param network what the measured manifest grants
   * @param ownsJvm whether this runtime is alone in its JVM (the process runner), so that an
   *     application bundle's program may take over the JVM's standard streams and default file
   *     system
   */
  public EnclaveRuntime(UnaryOperator<byte[]> toHost, NetworkPlan network, boolean ownsJvm) {
    this.host = new HostLink(Objects.requireNonNull(toHost, "toHost"));
    this.streams = new StreamRelay(Objects.requireNonNull(network, "network"), host::call);
    this.ownsJvm = ownsJvm;
  }

  @Override
  public byte[] apply(byte[] frame) {
    try {
      FrameType type = Frames.type(frame);
      return switch (type) {
        case INITIALIZE -> initialize(frame);
        case RUN -> Frames.ok(inside(() -> ready().run(Frames.payload(frame))));
        case FINISH -> finish(frame);
        case INVOKE -> {
          // Written out, not through inside and a lambda: see Serving.
          Serving call = new Serving(this, frame);
          ThreadLimit limit = threads;
          yield (byte[]) (limit == null ? call.call() : limit.enter(call));
        }
        case BIND_SERVICE -> Frames.ok(inside(() -> ready().bind(frame)));
        case PROGRAM_START -> Frames.ok(ready().runProgram(frame, ownsJvm));
        // Channel bytes may arrive while initialize runs (it may connect); the hub decides.
        case CHANNEL_DELIVER -> Frames.ok(channels.deliver(frame));
        case CHANNEL_CLOSED -> Frames.ok(channels.closed(frame));
        case STREAM_OPEN -> Frames.ok(streams.open(frame));
        case STREAM_DATA -> Frames.ok(streams.data(frame));
        case STREAM_CLOSE -> Frames.ok(streams.closed(frame));
        default -> throw new ProtocolException("the enclave does not accept " + type + " frames");
      };
    } catch (EnclaveException e) {
      return Frames.error(e);
    } catch (Throwable t) {
      return Frames.error(Code.INTERNAL, failureMessage(t));
    }
  }

  /**
   * {@link #apply(byte[])} for a frame in two parts: a {@code RUN} frame whose input came apart
   * from its header is run on that input as it is, and the output goes back apart from its
   * {@code OK} header, so that neither is copied on the way; any other frame is joined and handled
   * whole.
   */
  public FrameParts apply(FrameParts frame) {
    if (!Frames.isSplit(frame, FrameType.RUN)) {
      return FrameParts.whole(apply(frame.joined()));
    }
    try {
      byte[] output = inside(() -> ready().run(frame.body()));
      return Frames.parts(FrameType.OK, output);
    } catch (EnclaveException e) {
      return FrameParts.whole(Frames.error(e));
    } catch (Throwable t) {
      return FrameParts.whole(Frames.error(Code.INTERNAL, failureMessage(t)));
    }
  }

  /** Runs {@code call} within the manifest's thread limit, once the enclave knows it. */
  private byte[] inside(ScopedValue.CallableOp<byte[], RuntimeException> call) {
    ThreadLimit limit = threads;
    return limit == null ? call.call() : limit.enter(call);
  }

  /**
   * An {@code INVOKE} frame served within the thread limit. A typed call's serving code runs below
   * it: as the thread limit's operation itself, it puts the services one level below the scoped
   * value's frames, where a lambda calling {@code inside}'s supplier calling the application put
   * them four, and every level counts against the JIT's inlining depth (see
   * docs/architecture.md). It returns {@code Object}, the operation's erased type, so that no
   * bridge method stands between the scoped value and the registry either.
   */
  private record Serving(EnclaveRuntime runtime, byte[] frame)
      implements ScopedValue.CallableOp<Object, RuntimeException> {
    @Override
    public Object call() {
      return runtime.ready().services().serve(frame);
    }
  }

  /** What the host learns of a failure that is not an {@link EnclaveException}: its class only. */
  static String failureMessage(Throwable t) {
    Throwable cause = t instanceof InvocationTargetException ite && ite.getCause() != null
        ? ite.getCause() : t;
    return "enclave code threw " + cause.getClass().getName();
  }

  private byte[] initialize(byte[] frame) {
    if (!phase.compareAndSet(Phase.NEW, Phase.STARTING)) {
      throw new EnclaveException(Code.FAILED_PRECONDITION, "the enclave is already initialized");
    }
    InitMessage init = null;
    try {
      init = InitMessage.decode(Frames.payload(frame));
      threads = new ThreadLimit(init.limits().threads());
      // Before the application starts, so that its initialize may already connect out.
      streams.start(init.limits().maxFrameBytes());
      application = Application.start(init, host, channels,
          EnclaveRuntime.class.getClassLoader());
      phase.set(Phase.READY);
      return Frames.ok(new byte[0]);
    } catch (RuntimeException | Error e) {
      phase.set(Phase.FINISHED);
      channels.close();
      streams.close();
      throw e;
    } finally {
      if (init != null) {
        init.wipe();
      }
    }
  }

  private byte[] finish(byte[] frame) {
    Application app = ready();
    if (!phase.compareAndSet(Phase.READY, Phase.FINISHED)) {
      throw new EnclaveException(Code.FAILED_PRECONDITION, "the enclave is already finished");
    }
    try {
      return Frames.ok(app.finish(Frames.payload(frame)));
    } finally {
      streams.close();
      app.close();
    }
  }

  private Application ready() {
    Phase now = phase.get();
    if (now != Phase.READY) {
      throw new EnclaveException(Code.FAILED_PRECONDITION, switch (now) {
        case NEW, STARTING -> "the enclave is not initialized";
        default -> "the enclave is finished";
      });
    }
    return application;
  }

  /** For tests inside the enclave: whether this runtime serves a TrustedApplication. */
  static boolean isTrustedApplication(Class<?> type) {
    return TrustedApplication.class.isAssignableFrom(type);
  }
}
