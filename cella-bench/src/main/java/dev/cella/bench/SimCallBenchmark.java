package dev.cella.bench;

import dev.cella.Enclave;
import dev.cella.EnclaveOptions;
import dev.cella.host.EnclaveManager;
import dev.cella.testing.TestBundles;
import dev.cella.testing.apps.EchoApp;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * An empty bytes call into a sim enclave, against the two things a user would otherwise do to
 * keep a component apart: a direct interface call (the floor) and a unary call over grpc-java's
 * in-process transport. Issue target: the sim call costs at most a tenth of the gRPC call.
 *
 * <p>Run: {@code cella-bench/run SimCallBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SimCallBenchmark {
  private static final byte[] EMPTY = new byte[0];

  private Path folder;
  private EnclaveManager manager;
  private Enclave enclave;
  private UnaryOperator<byte[]> direct;
  private Server server;
  private ManagedChannel channel;
  private MethodDescriptor<byte[], byte[]> method;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    folder = Files.createTempDirectory("cella-bench");
    Path bundle = TestBundles.builder("bench", EchoApp.class).build(folder);
    manager = EnclaveManager.create();
    enclave = manager.load("bench", bundle, EnclaveOptions.builder().backend("sim").build());
    direct = new Identity();

    method = MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName("bench.Echo/Call")
        .setRequestMarshaller(BytesMarshaller.INSTANCE)
        .setResponseMarshaller(BytesMarshaller.INSTANCE)
        .build();
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(ServerServiceDefinition.builder("bench.Echo")
            .addMethod(method, ServerCalls.asyncUnaryCall((request, response) -> {
              response.onNext(request);
              response.onCompleted();
            }))
            .build())
        .build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    manager.close();
    try (var files = Files.walk(folder)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** The floor: an interface call the JIT cannot inline away entirely. */
  @Benchmark
  public byte[] directInterfaceCall() {
    return direct.apply(EMPTY);
  }

  /** A unary call over grpc-java's in-process transport with direct executors. */
  @Benchmark
  public byte[] grpcInProcessUnary() {
    return ClientCalls.blockingUnaryCall(channel, method, CallOptions.DEFAULT, EMPTY);
  }

  /** An empty {@code run} into a sim enclave. */
  @Benchmark
  public byte[] simEnclaveRun() {
    return enclave.run(EMPTY);
  }

  private static final class Identity implements UnaryOperator<byte[]> {
    @Override
    public byte[] apply(byte[] bytes) {
      return bytes;
    }
  }
}
