package dev.cella.grpc;

import dev.cella.EnclaveIdentity;
import dev.cella.Measurement;
import dev.cella.PlatformKind;
import dev.cella.SignerId;
import dev.cella.attestation.AttestationPolicy;
import dev.cella.attestation.platform.SoftwarePlatform;
import dev.cella.attestation.ratls.EvidenceSource;
import io.grpc.CallOptions;
import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A process platform, identities on it, and loopback servers and channels for the gRPC tests. */
final class GrpcFixture implements AutoCloseable {
  static final Map<String, String> FACTS =
      Map.of("jdk-version", "25.0.1+8-LTS", "backend-version", "0.1.0-SNAPSHOT");

  final SoftwarePlatform platform;

  GrpcFixture(Path dir) {
    platform = SoftwarePlatform.open(PlatformKind.PROCESS, dir);
  }

  static byte[] sha384(String text) {
    try {
      return MessageDigest.getInstance("SHA-384").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static EnclaveIdentity identity(String bundle, int productId, boolean debug) {
    return new EnclaveIdentity(Measurement.of(sha384("bundle " + bundle)),
        SignerId.of(sha384("signer acme")), productId, 3, debug, PlatformKind.PROCESS);
  }

  EvidenceSource source(EnclaveIdentity identity) {
    return (nonce, data) -> platform.issueEvidence(identity, nonce, data, FACTS);
  }

  AttestationPolicy.Builder policyFor(String bundle) {
    return AttestationPolicy.builder().measurement(Measurement.of(sha384("bundle " + bundle)))
        .trustSoftwarePlatform(platform.rootCertificate());
  }

  static Server serve(ServerCredentials credentials) throws IOException {
    return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0), credentials)
        .addService(EchoService.definition())
        .intercept(AttestedPeer.interceptor())
        .build().start();
  }

  static ManagedChannel channel(Server server, ChannelCredentials credentials) {
    return NettyChannelBuilder.forAddress("127.0.0.1", server.getPort(), credentials)
        .overrideAuthority("enclave").intercept(AttestedChannelCredentials.explainRefusals())
        .build();
  }

  static String say(ManagedChannel channel, String text) {
    return ClientCalls.blockingUnaryCall(channel, EchoService.SAY,
        CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), text);
  }

  static void shutdown(Server server, ManagedChannel channel) throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() {
    platform.close();
  }
}
