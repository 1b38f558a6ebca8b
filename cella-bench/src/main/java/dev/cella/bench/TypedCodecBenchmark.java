package dev.cella.bench;

import dev.cella.protocol.FrameType;
import dev.cella.protocol.Frames;
import dev.cella.protocol.Invocation;
import dev.cella.protocol.codec.CodecLimits;
import dev.cella.protocol.codec.MethodCodec;
import dev.cella.protocol.codec.ServiceCodec;
import dev.cella.protocol.services.ServiceProxies;
import dev.cella.protocol.services.ServiceRegistry;
import dev.cella.testing.apps.Ledger;
import dev.cella.testing.apps.LedgerImpl;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What only a typed call pays, piece by piece, for the call {@link TypedCallBenchmark} makes
 * ({@code Ledger.weigh} of a small record), without an enclave: encoding the arguments into their
 * invocation frame (the proxy's side), serving that frame (decoding, calling the implementation,
 * encoding the outcome: the enclave's side), decoding the outcome, and all of it through a proxy
 * whose transport is the serving registry itself. It explains {@code TypedCallBenchmark}'s figures;
 * it has no target of its own. Host and serving side share one copy of the codec classes here,
 * where an enclave has its own.
 *
 * <p>Run: {@code cella-bench/run TypedCodecBenchmark -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TypedCodecBenchmark {
  private MethodCodec weigh;
  private byte[] header;
  private ServiceRegistry registry;
  private Ledger loopback;
  private Ledger.Entry entry;
  private byte[] invocationFrame;
  private byte[] outcomeFrame;

  @Setup
  public void setUp() throws Throwable {
    ServiceCodec codec = ServiceCodec.of(Ledger.class, CodecLimits.DEFAULT);
    weigh = codec.method(Ledger.class.getMethod("weigh", Ledger.Entry.class));
    header = Invocation.header(FrameType.INVOKE, codec.interfaceName(), weigh.id());
    registry = ServiceRegistry.builder("bench").add(codec, new LedgerImpl(null)).build();
    loopback = ServiceProxies.create(Ledger.class, codec, FrameType.INVOKE, registry::serve,
        "Ledger loopback");
    entry = new Ledger.Entry("alice", 1234, Optional.of("memo"), List.of("a", "b"));
    invocationFrame = weigh.encodeArguments(header, new Object[] {entry});
    outcomeFrame = registry.serve(invocationFrame);
    if ((long) weigh.decodeOutcome(outcomeFrame, Frames.HEADER,
        outcomeFrame.length - Frames.HEADER) != 1234L) {
      throw new IllegalStateException("the loopback call does not answer 1234");
    }
  }

  /** The proxy's encoding of the arguments, with the array the proxy class passes. */
  @Benchmark
  public byte[] encodeArguments() {
    return weigh.encodeArguments(header, new Object[] {entry});
  }

  /** The serving side: decode the arguments, call the implementation, encode the outcome. */
  @Benchmark
  public byte[] serve() {
    return registry.serve(invocationFrame);
  }

  /** The proxy's decoding of the outcome frame. */
  @Benchmark
  public Object decodeOutcome() throws Throwable {
    return weigh.decodeOutcome(outcomeFrame, Frames.HEADER, outcomeFrame.length - Frames.HEADER);
  }

  /** All of it: a typed call through a proxy whose transport serves the frame in place. */
  @Benchmark
  public long loopbackCall() {
    return loopback.weigh(entry);
  }
}
