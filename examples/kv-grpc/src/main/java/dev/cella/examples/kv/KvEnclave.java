package dev.cella.examples.kv;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.enclave.EnclaveContext;
import dev.cella.enclave.TrustedApplication;
import dev.cella.grpc.AttestedPeer;
import dev.cella.grpc.AttestedServerCredentials;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The key-value enclave: a gRPC server started inside the enclave on the loopback port its
 * configuration names ({@code 0}: any free port; {@code run("port")} answers which), with
 * RA-TLS credentials, so that clients verify this enclave's evidence before they send a key. Each
 * value is a file of the enclave's sealed file system: the host stores only ciphertext, and a
 * reloaded enclave of the same signer finds its data again.
 *
 * <p>On the {@code sim} backend the port is opened directly in the host's JVM (sim isolates
 * nothing); isolated backends relay it (docs/channels.md).
 */
public final class KvEnclave implements TrustedApplication {
  private Server server;
  private FileSystem store;

  @Override
  public void initialize(EnclaveContext context, byte[] config) {
    int port = config.length == 0 ? 0 : Integer.parseInt(new String(config, StandardCharsets.UTF_8).trim());
    try {
      store = context.sealedFileSystem();
      Files.createDirectories(store.getPath("/kv"));
      server = NettyServerBuilder
          .forAddress(new InetSocketAddress("127.0.0.1", port), AttestedServerCredentials.create(context))
          .addService(definition())
          .intercept(AttestedPeer.interceptor())
          .build().start();
    } catch (IOException e) {
      throw new EnclaveException(Code.UNAVAILABLE, "cannot start the key-value server: " + e.getMessage());
    }
  }

  @Override
  public byte[] run(byte[] input) {
    if (!"port".equals(new String(input, StandardCharsets.UTF_8))) {
      throw new EnclaveException(Code.INVALID_ARGUMENT, "the only command is 'port'");
    }
    return Integer.toString(server.getPort()).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public byte[] finish(byte[] finalInput) {
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return new byte[0];
  }

  private ServerServiceDefinition definition() {
    return ServerServiceDefinition.builder("cella.examples.Kv")
        .addMethod(Kv.PUT, ServerCalls.asyncUnaryCall((entry, response) -> {
          try {
            Files.write(file(entry.key()), entry.value());
            response.onNext(new byte[0]);
            response.onCompleted();
          } catch (IOException e) {
            response.onError(Status.UNAVAILABLE.withDescription("storage failed").asRuntimeException());
          }
        }))
        .addMethod(Kv.GET, ServerCalls.asyncUnaryCall((key, response) -> {
          try {
            response.onNext(Optional.of(Files.readAllBytes(file(key))));
          } catch (NoSuchFileException e) {
            response.onNext(Optional.empty());
          } catch (IOException e) {
            response.onError(Status.UNAVAILABLE.withDescription("storage failed").asRuntimeException());
            return;
          }
          response.onCompleted();
        }))
        .build();
  }

  private Path file(byte[] key) {
    if (key.length == 0) {
      throw Status.INVALID_ARGUMENT.withDescription("empty key").asRuntimeException();
    }
    try {
      // A fixed-length name: the key's SHA-256 (the file system keeps names short).
      return store.getPath("/kv", HexFormat.of().formatHex(
          java.security.MessageDigest.getInstance("SHA-256").digest(key)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
