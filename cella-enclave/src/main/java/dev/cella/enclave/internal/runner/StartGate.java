package dev.cella.enclave.internal.runner;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.bundle.Manifest;
import dev.cella.enclave.internal.EnclaveRuntime;
import dev.cella.protocol.FrameType;
import dev.cella.protocol.Frames;
import dev.cella.protocol.InitMessage;
import dev.cella.spi.FrameParts;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Stands before the enclave runtime and lets the initialization frame through only when the
 * identity the platform claims is the one the runner measured ({@link MeasuredStart}). On any
 * difference it answers the frame with {@code PERMISSION_DENIED}, refuses every later frame, and
 * has the process exit: the application never starts and never receives the sealing keys. It
 * also lets an application bundle's program start only as its measured manifest describes it
 * ({@link ProgramCheck}).
 *
 * <p>The measurement may still be running when the gate starts taking frames (the process runner
 * lets the host connect once the process is non-dumpable, while it measures): every frame then
 * waits for it, and the runtime behind the gate is made from the finished measurement. A
 * measurement that has not finished within {@link #MEASURE_TIMEOUT} (a jar on a file system that
 * hangs, say) is a failed one: the host's start is refused instead of waiting forever, since the
 * host's own start timeout ends once the channel is open.
 *
 * <p>Thread-safe.
 */
final class StartGate implements UnaryOperator<byte[]> {
  /** How long a frame waits for the measurement before the start is refused. */
  static final Duration MEASURE_TIMEOUT = Duration.ofSeconds(60);

  private final CompletableFuture<MeasuredStart> measuring;
  private final long measureTimeoutNanos;
  private final Function<MeasuredStart, UnaryOperator<byte[]>> runtimeFor;
  private final Runnable onRefusal;
  private volatile boolean refused;
  private volatile MeasuredStart measured;
  private volatile UnaryOperator<byte[]> runtime;

  /** A gate before {@code runtime} for a finished measurement. */
  StartGate(UnaryOperator<byte[]> runtime, MeasuredStart measured, Runnable onRefusal) {
    this(CompletableFuture.completedFuture(measured), m -> runtime, onRefusal);
  }

  /**
   * A gate that lets frames through only once {@code measuring} has finished, to the runtime
   * {@code runtimeFor} makes (once) from its result.
   */
  StartGate(CompletableFuture<MeasuredStart> measuring,
      Function<MeasuredStart, UnaryOperator<byte[]>> runtimeFor, Runnable onRefusal) {
    this(measuring, MEASURE_TIMEOUT, runtimeFor, onRefusal);
  }

  /** As above, with a frame waiting at most {@code measureTimeout} for the measurement. */
  StartGate(CompletableFuture<MeasuredStart> measuring, Duration measureTimeout,
      Function<MeasuredStart, UnaryOperator<byte[]>> runtimeFor, Runnable onRefusal) {
    this.measuring = measuring;
    this.measureTimeoutNanos = measureTimeout.toNanos();
    this.runtimeFor = runtimeFor;
    this.onRefusal = onRefusal;
  }

  /** Waits for the measurement and makes the runtime from it, once. */
  private void awaitMeasured() {
    if (runtime != null) {
      return;
    }
    synchronized (this) {
      if (runtime == null) {
        MeasuredStart result;
        try {
          result = measuring.get(measureTimeoutNanos, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
          result = failed(e.getCause() == null ? e : e.getCause());
        } catch (TimeoutException e) {
          result = new MeasuredStart(null, null, "the runtime could not measure its bundle within "
              + Duration.ofNanos(measureTimeoutNanos).toMillis() + " ms");
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          result = failed(e);
        } catch (RuntimeException e) {
          result = failed(e);
        }
        measured = result;
        runtime = runtimeFor.apply(result);
      }
    }
  }

  private static MeasuredStart failed(Throwable why) {
    return new MeasuredStart(null, null, "the runtime could not measure its bundle: "
        + why.getClass().getName());
  }

  @Override
  public byte[] apply(byte[] frame) {
    awaitMeasured();
    if (refused) {
      return Frames.error(Code.FAILED_PRECONDITION, "the enclave runtime refused to start");
    }
    if (isType(frame, FrameType.PROGRAM_START)) {
      String difference = ProgramCheck.differenceOrNull(frame, measured.manifest());
      return difference == null ? runtime.apply(frame)
          : Frames.error(Code.PERMISSION_DENIED, "the enclave runtime refuses to start the"
              + " program: " + difference);
    }
    if (!isType(frame, FrameType.INITIALIZE)) {
      return runtime.apply(frame);
    }
    String refusal = measured.refusalOrNull() != null ? measured.refusalOrNull() : compare(frame);
    if (refusal != null) {
      refused = true;
      Arrays.fill(frame, (byte) 0);
      onRefusal.run();
      return Frames.error(Code.PERMISSION_DENIED, "the enclave runtime refuses to start: " + refusal);
    }
    try {
      StartTrace.mark("enclave-initialize");
      return runtime.apply(frame);
    } finally {
      StartTrace.mark("enclave-initialized");
      Arrays.fill(frame, (byte) 0);
    }
  }

  /**
   * {@link #apply(byte[])} for a frame in two parts: a {@code RUN} frame goes as it came to the
   * runtime (which refuses it until it is initialized, as a whole one); any other frame, and any
   * frame for a runtime that takes only whole ones, is joined and checked whole. An {@code
   * INITIALIZE} frame's parts are wiped with the joined copy.
   */
  FrameParts apply(FrameParts frame) {
    awaitMeasured();
    if (!refused && Frames.isSplit(frame, FrameType.RUN)
        && runtime instanceof EnclaveRuntime enclaveRuntime) {
      return enclaveRuntime.apply(frame);
    }
    byte[] joined = frame.joined();
    boolean initialize = isType(joined, FrameType.INITIALIZE);
    try {
      return FrameParts.whole(apply(joined));
    } finally {
      if (initialize) {
        Arrays.fill(frame.head(), (byte) 0);
        Arrays.fill(frame.body(), (byte) 0);
      }
    }
  }

  private static boolean isType(byte[] frame, FrameType type) {
    try {
      return Frames.type(frame) == type;
    } catch (EnclaveException malformed) {
      return false;
    }
  }

  /** Null when the claimed identity is the measured one; else the difference. */
  private String compare(byte[] frame) {
    byte[] payload = Frames.payload(frame);
    InitMessage init;
    try {
      init = InitMessage.decode(payload);
    } catch (EnclaveException malformed) {
      return null; // The runtime refuses it with the decoding error.
    } finally {
      Arrays.fill(payload, (byte) 0);
    }
    try {
      if (!init.identity().equals(measured.identity())) {
        return "the platform starts it as " + init.identity() + " but it measured its bundle as "
            + measured.identity();
      }
      // What runs is the measured manifest's, not what the host names: same entry, same
      // services, same limits.
      Manifest manifest = measured.manifest();
      if (!init.entryClass().equals(manifest.entry().orElse(""))) {
        return "the host names entry class '" + init.entryClass() + "' but the manifest's is '"
            + manifest.entry().orElse("") + "'";
      }
      var services = manifest.services().stream()
          .map(b -> new InitMessage.ServiceEntry(b.interfaceName(), b.implementationName()))
          .toList();
      if (!init.services().equals(services)) {
        return "the host names services " + init.services() + " but the manifest's are " + services;
      }
      if (!init.limits().equals(manifest.limits())) {
        return "the host names limits " + init.limits() + " but the manifest's are "
            + manifest.limits();
      }
      return null;
    } finally {
      init.wipe();
    }
  }
}
