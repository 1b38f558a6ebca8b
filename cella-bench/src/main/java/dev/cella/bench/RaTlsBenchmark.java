package dev.cella.bench;

import dev.cella.EnclaveIdentity;
import dev.cella.PlatformKind;
import dev.cella.SignerId;
import dev.cella.attestation.AttestationPolicy;
import dev.cella.attestation.platform.SoftwarePlatform;
import dev.cella.attestation.ratls.EvidenceSource;
import dev.cella.attestation.ratls.RaTlsCertificateProvider;
import dev.cella.attestation.ratls.RaTlsTrustManager;
import dev.cella.grpc.AttestedChannelCredentials;
import dev.cella.grpc.AttestedPeer;
import dev.cella.grpc.AttestedServerCredentials;
import io.grpc.CallOptions;
import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerServiceDefinition;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
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
 * RA-TLS against plain TLS 1.3 with a self-signed ECDSA P-384 certificate (the baseline), both on
 * the JDK's TLS: a full handshake in memory (RA-TLS once with a trust manager that has seen the
 * server's certificate before, as a client reconnecting to the same enclave does, and once with a
 * fresh trust manager, which verifies the evidence), and a unary gRPC call over loopback once
 * connected (Netty, each side's own provider). Issue targets: handshake at most 1.5× the
 * baseline, call latency at most 1.1×.
 *
 * <p>Run: {@code cella-bench/run RaTlsBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RaTlsBenchmark {
  private static final MethodDescriptor<byte[], byte[]> ECHO =
      MethodDescriptor.<byte[], byte[]>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("bench.Echo/Call")
          .setRequestMarshaller(BytesMarshaller.INSTANCE).setResponseMarshaller(BytesMarshaller.INSTANCE).build();

  private Path folder;
  private SoftwarePlatform platform;
  private AttestationPolicy policy;
  private final InMemoryTls tls = new InMemoryTls();
  private SSLContext plainClient;
  private SSLContext plainServer;
  private SSLContext raTlsClient;
  private SSLContext raTlsServer;
  private RaTlsCertificateProvider provider;
  private Server plainGrpc;
  private Server raTlsGrpc;
  private ManagedChannel plainChannel;
  private ManagedChannel raTlsChannel;
  private final byte[] request = new byte[64];

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    folder = Files.createTempDirectory("cella-bench-ratls");
    platform = SoftwarePlatform.open(PlatformKind.PROCESS, folder.resolve("process"));
    byte[] m = MessageDigest.getInstance("SHA-384").digest("bench".getBytes());
    EnclaveIdentity identity = new EnclaveIdentity(dev.cella.Measurement.of(m), SignerId.of(m), 1, 1, false,
        PlatformKind.PROCESS);
    EvidenceSource source = (nonce, data) -> platform.issueEvidence(identity, nonce, data,
        Map.of("jdk-version", Runtime.version().toString(), "backend-version", "bench"));
    policy = AttestationPolicy.builder().measurement(identity.measurement())
        .trustSoftwarePlatform(platform.rootCertificate()).build();
    provider = RaTlsCertificateProvider.create(source);

    KeyPair pair = p384();
    X509Certificate plain = selfSigned(pair);
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("server", pair.getPrivate(), new char[0], new X509Certificate[] {plain});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
    kmf.init(keys, new char[0]);
    KeyStore anchors = KeyStore.getInstance("PKCS12");
    anchors.load(null, null);
    anchors.setCertificateEntry("server", plain);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(anchors);
    TrustManager plainTrust = tmf.getTrustManagers()[0];

    plainServer = InMemoryTls.context(kmf.getKeyManagers()[0], null);
    plainClient = InMemoryTls.context(null, plainTrust);
    raTlsServer = InMemoryTls.context(provider.keyManager(), null);
    raTlsClient = InMemoryTls.context(null, RaTlsTrustManager.create(policy));

    plainGrpc = serve(TlsServerCredentials.newBuilder().keyManager(kmf.getKeyManagers()).build());
    raTlsGrpc = serve(AttestedServerCredentials.builder(provider).build());
    plainChannel = channel(plainGrpc, TlsChannelCredentials.newBuilder().trustManager(plainTrust).build());
    raTlsChannel = channel(raTlsGrpc, AttestedChannelCredentials.create(policy));
    plainUnaryCall();
    raTlsUnaryCall();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    for (ManagedChannel c : new ManagedChannel[] {plainChannel, raTlsChannel}) {
      c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    for (Server s : new Server[] {plainGrpc, raTlsGrpc}) {
      s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    platform.close();
    try (var paths = Files.walk(folder)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** Baseline: a full JDK TLS 1.3 handshake with a self-signed certificate (PKIX trust). */
  @Benchmark
  public void plainHandshake() throws Exception {
    tls.handshake(plainClient, plainServer);
  }

  /** RA-TLS, the client having verified this server certificate before (cached evidence). */
  @Benchmark
  public void raTlsHandshake() throws Exception {
    tls.handshake(raTlsClient, raTlsServer);
  }

  /** RA-TLS with a client that has never seen the certificate: the evidence is verified. */
  @Benchmark
  public void raTlsHandshakeFirstSight() throws Exception {
    tls.handshake(InMemoryTls.context(null, RaTlsTrustManager.create(policy)), raTlsServer);
  }

  /** Baseline: a unary call over an established plain TLS connection. */
  @Benchmark
  public byte[] plainUnaryCall() {
    return ClientCalls.blockingUnaryCall(plainChannel, ECHO, CallOptions.DEFAULT, request);
  }

  /** A unary call over an established RA-TLS connection (server with the peer interceptor). */
  @Benchmark
  public byte[] raTlsUnaryCall() {
    return ClientCalls.blockingUnaryCall(raTlsChannel, ECHO, CallOptions.DEFAULT, request);
  }

  private static Server serve(ServerCredentials credentials) throws IOException {
    return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0), credentials)
        .addService(ServerServiceDefinition.builder("bench.Echo")
            .addMethod(ECHO, ServerCalls.asyncUnaryCall((req, out) -> {
              out.onNext(req);
              out.onCompleted();
            })).build())
        .intercept(AttestedPeer.interceptor())
        .build().start();
  }

  private static ManagedChannel channel(Server server, ChannelCredentials credentials) {
    return NettyChannelBuilder.forAddress("127.0.0.1", server.getPort(), credentials)
        .overrideAuthority("localhost").build();
  }

  private static KeyPair p384() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp384r1"));
    return generator.generateKeyPair();
  }

  private static X509Certificate selfSigned(KeyPair pair) throws Exception {
    X500Principal subject = new X500Principal("CN=localhost");
    Instant now = Instant.now();
    var builder = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(now.toEpochMilli()),
        Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(1))), subject,
        pair.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA384withECDSA").build(pair.getPrivate())));
  }

}
