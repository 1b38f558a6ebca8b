package dev.cella.examples.kv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cella.Enclave;
import dev.cella.EnclaveOptions;
import dev.cella.Measurement;
import dev.cella.attestation.AttestationPolicy;
import dev.cella.attestation.cose.CellaEvidence;
import dev.cella.backend.process.ProcessBackend;
import dev.cella.bundle.NetworkGrant;
import dev.cella.grpc.AttestedChannelCredentials;
import dev.cella.host.EnclaveManager;
import dev.cella.testing.TestBundles;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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

/**
 * The key-value server in a process-backend enclave, which has no network but loopback: the
 * manifest grants listening on the server's port, the host relays each TCP connection through the
 * boundary as opaque bytes (RA-TLS records), and the client verifies the process platform's
 * evidence before it sends a key. Skipped, saying why, where bubblewrap cannot run.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KvGrpcProcessTest {
  /** The port inside the enclave; the sandbox has its own network namespace, so it is free. */
  private static final int PORT = 7443;
  @TempDir Path dir;
  private EnclaveManager manager;
  private RecordingBackend host;
  private Path bundle;
  private ManagedChannel channel;

  @BeforeEach
  void load() throws Exception {
    var info = new ProcessBackend().info();
    assumeTrue(info.isAvailable(), () -> "the process backend cannot run here: "
        + info.unavailabilityCause().orElse(""));
    bundle = TestBundles.builder("kv", KvEnclave.class).config(Integer.toString(PORT))
        .network(new NetworkGrant.Listen(PORT))
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
    host = new RecordingBackend(new ProcessBackend());
    manager = EnclaveManager.create(List.of(host), dir.resolve("home"));
  }

  @AfterEach
  void close() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (manager != null) {
      manager.close();
    }
  }

  private Enclave loadKv() throws Exception {
    // The host accepts on any free loopback port for the granted one, so tests cannot collide.
    return manager.load("kv", bundle, EnclaveOptions.builder().backend(ProcessBackend.NAME)
        .listenAddress(PORT, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).build());
  }

  /** The client's policy: this measurement on the process platform, no simulation accepted. */
  private static AttestationPolicy policy(Measurement measurement, X509Certificate root) {
    return AttestationPolicy.builder().measurement(measurement).trustSoftwarePlatform(root).build();
  }

  private static X509Certificate processRoot(Enclave enclave) throws Exception {
    return CellaEvidence.platformRoot(enclave.attest(new byte[8], new byte[0]), Instant.now());
  }

  private ManagedChannel connect(Enclave enclave, AttestationPolicy policy) {
    InetSocketAddress address = enclave.listenAddress(PORT);
    channel = NettyChannelBuilder.forAddress(address.getHostString(), address.getPort(),
            AttestedChannelCredentials.create(policy))
        .intercept(AttestedChannelCredentials.explainRefusals())
        .build();
    return channel;
  }

  private static void put(ManagedChannel channel, String key, String value) {
    ClientCalls.blockingUnaryCall(channel, Kv.PUT, CallOptions.DEFAULT.withDeadlineAfter(30,
        TimeUnit.SECONDS), new Kv.Entry(key.getBytes(UTF_8), value.getBytes(UTF_8)));
  }

  private static Optional<String> get(ManagedChannel channel, String key) {
    return ClientCalls.blockingUnaryCall(channel, Kv.GET, CallOptions.DEFAULT.withDeadlineAfter(30,
        TimeUnit.SECONDS), key.getBytes(UTF_8)).map(v -> new String(v, UTF_8));
  }

  @Test
  void putAndGet_throughTheRelay_clientVerifiesTheProcessPlatformsEvidence() throws Exception {
    Enclave kv = loadKv();
    assertThat(kv.listenAddress(PORT).getPort()).isNotEqualTo(PORT);
    AttestationPolicy policy = policy(kv.identity().measurement(), processRoot(kv));
    ManagedChannel first = connect(kv, policy);

    put(first, "alpha", "one");
    assertThat(get(first, "alpha")).contains("one");
    assertThat(get(first, "beta")).isEmpty();
    first.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    kv.close();

    Enclave again = loadKv();
    assertThat(get(connect(again, policy), "alpha")).contains("one");
  }

  @Test
  void relayedBytes_areTlsRecords_theHostSeesNoKeyOrValue() throws Exception {
    Enclave kv = loadKv();
    ManagedChannel client = connect(kv, policy(kv.identity().measurement(), processRoot(kv)));

    put(client, "the-key-nobody-sees", "the-value-nobody-sees");
    assertThat(get(client, "the-key-nobody-sees")).contains("the-value-nobody-sees");

    assertThat(host.streamFrames()).isPositive();
    String seen = new String(host.seen(), java.nio.charset.StandardCharsets.ISO_8859_1);
    assertThat(seen).doesNotContain("the-key-nobody-sees").doesNotContain("the-value-nobody-sees");
  }

  @Test
  void call_throughTheRelay_toAServerWhoseMeasurementDiffers_isRefused() throws Exception {
    Enclave kv = loadKv();
    X509Certificate root = processRoot(kv);
    Measurement expected = Measurement.of(MessageDigest.getInstance("SHA-384")
        .digest("some other release".getBytes(UTF_8)));

    StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
        () -> put(connect(kv, policy(expected, root)), "alpha", "stolen"));

    assertThat(refused).isNotNull();
    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(refused.getStatus().getDescription())
        .startsWith("the server's attestation was refused (EVIDENCE_REFUSED)")
        .contains("measurement");
  }
}
