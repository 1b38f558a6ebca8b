package dev.cella.examples.kv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cella.Enclave;
import dev.cella.EnclaveOptions;
import dev.cella.Measurement;
import dev.cella.attestation.AttestationPolicy;
import dev.cella.attestation.cose.CellaEvidence;
import dev.cella.backend.sim.SimBackend;
import dev.cella.grpc.AttestedChannelCredentials;
import dev.cella.host.EnclaveManager;
import dev.cella.testing.TestBundles;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A client outside the enclave: it attests the key-value server before it sends anything. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class KvGrpcTest {
  @TempDir Path dir;
  private EnclaveManager manager;
  private Path bundle;
  private ManagedChannel channel;

  @BeforeEach
  void load() throws Exception {
    bundle = TestBundles.builder("kv", KvEnclave.class).config("0")
        // What the enclave runs besides Cella's runtime: attested gRPC and grpc-java itself.
        .withJarOf(dev.cella.grpc.AttestedServerCredentials.class)
        .withJarOf(io.grpc.Server.class)
        .withJarOf(io.grpc.Context.class)
        .withJarOf(io.grpc.internal.ServerImpl.class)
        .withJarOf(io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder.class)
        .withJarOf(io.grpc.util.MutableHandlerRegistry.class)
        .withJarOf(io.grpc.stub.ServerCalls.class)
        .withJarOf(com.google.common.base.Preconditions.class)
        .withJarOf(com.google.common.util.concurrent.internal.InternalFutureFailureAccess.class)
        .withJarOf(io.perfmark.PerfMark.class)
        .withJarOf(com.google.gson.Gson.class)
        .build(dir);
    manager = EnclaveManager.create(List.of(new SimBackend()), dir.resolve("home"));
  }

  @AfterEach
  void close() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    manager.close();
  }

  /** The client's policy: this measurement, on the sim platform whose root the host exported. */
  private static AttestationPolicy policy(Measurement measurement, X509Certificate root) {
    return AttestationPolicy.builder().measurement(measurement).trustSoftwarePlatform(root)
        .insecureAcceptSimulated().build();
  }

  private static X509Certificate simRoot(Enclave enclave) throws Exception {
    // What `cella platform export-root` prints, taken here from a fresh piece of evidence.
    return CellaEvidence.platformRoot(enclave.attest(new byte[8], new byte[0]), Instant.now());
  }

  private ManagedChannel connect(Enclave enclave, AttestationPolicy policy) {
    int port = Integer.parseInt(new String(enclave.run("port".getBytes(UTF_8)), UTF_8));
    channel = NettyChannelBuilder.forAddress("127.0.0.1", port,
            AttestedChannelCredentials.create(policy))
        .intercept(AttestedChannelCredentials.explainRefusals())
        .build();
    return channel;
  }

  private static void put(ManagedChannel channel, String key, String value) {
    ClientCalls.blockingUnaryCall(channel, Kv.PUT, CallOptions.DEFAULT.withDeadlineAfter(20,
        TimeUnit.SECONDS), new Kv.Entry(key.getBytes(UTF_8), value.getBytes(UTF_8)));
  }

  private static Optional<String> get(ManagedChannel channel, String key) {
    return ClientCalls.blockingUnaryCall(channel, Kv.GET, CallOptions.DEFAULT.withDeadlineAfter(20,
        TimeUnit.SECONDS), key.getBytes(UTF_8)).map(v -> new String(v, UTF_8));
  }

  @Test
  void putAndGet_overAttestedGrpc_keepTheValueInSealedStorageAcrossReloads() throws Exception {
    Enclave kv = manager.load("kv", bundle, EnclaveOptions.defaults());
    AttestationPolicy policy = policy(kv.identity().measurement(), simRoot(kv));
    ManagedChannel first = connect(kv, policy);

    put(first, "alpha", "one");
    assertThat(get(first, "alpha")).contains("one");
    assertThat(get(first, "beta")).isEmpty();
    first.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    kv.close();

    Enclave again = manager.load("kv", bundle, EnclaveOptions.defaults());
    assertThat(get(connect(again, policy), "alpha")).contains("one");
  }

  @Test
  void call_toAServerWhoseMeasurementDiffers_isRefusedBeforeAnyRequest() throws Exception {
    Enclave kv = manager.load("kv", bundle, EnclaveOptions.defaults());
    X509Certificate root = simRoot(kv);
    Measurement expected = Measurement.of(MessageDigest.getInstance("SHA-384")
        .digest("some other release".getBytes(UTF_8)));

    StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
        () -> put(connect(kv, policy(expected, root)), "alpha", "stolen"));

    assertThat(refused).isNotNull();
    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(refused.getStatus().getDescription())
        .startsWith("the server's attestation was refused (EVIDENCE_REFUSED)")
        .contains("measurement");
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    assertThat(get(connect(kv, policy(kv.identity().measurement(), root)), "alpha")).isEmpty();
  }
}
