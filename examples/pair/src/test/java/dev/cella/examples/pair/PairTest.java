package dev.cella.examples.pair;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.Enclave;
import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.backend.sim.SimBackend;
import dev.cella.bundle.BundleSigningKey;
import dev.cella.host.EnclaveManager;
import dev.cella.testing.TestBundles;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Two enclaves exchange a secret over an attested channel; the relaying host never sees it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PairTest {
  @TempDir Path dir;

  @Test
  void exchange_theSecretReachesThePeer_andNoRelayedByteContainsIt() throws Exception {
    Path sender = TestBundles.builder("sender", PairApp.class).productId(PairApp.SENDER).build(dir);
    Path receiver = TestBundles.builder("receiver", PairApp.class).productId(PairApp.RECEIVER)
        .build(dir);
    RecordingBackend host = new RecordingBackend(new SimBackend());
    try (EnclaveManager manager = EnclaveManager.create(List.of(host), dir.resolve("home"));
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      Enclave alice = manager.load("alice", sender);
      Enclave bob = manager.load("bob", receiver);
      host.reset();
      int before = host.frames();

      CompletableFuture<byte[]> received =
          CompletableFuture.supplyAsync(() -> bob.run("receive".getBytes(UTF_8)), threads);
      String sentDigest = new String(alice.run("send bob".getBytes(UTF_8)), UTF_8);
      String receivedDigest = new String(received.get(30, TimeUnit.SECONDS), UTF_8);
      byte[] relayed = host.seen();
      int relayedFrames = host.frames() - before;

      assertThat(receivedDigest).isEqualTo(sentDigest).hasSize(64);
      assertThat(relayedFrames).as("the handshake and the message went through the host")
          .isGreaterThan(8);
      byte[] secret = alice.run("insecure-reveal".getBytes(UTF_8));
      assertThat(new String(secret, UTF_8)).startsWith("secret ");
      assertThat(indexOf(relayed, secret)).as("the secret in the relayed bytes").isEqualTo(-1);
      assertThat(indexOf(relayed, "secret ".getBytes(UTF_8))).isEqualTo(-1);
      assertThat(indexOf(host.seen(), secret))
          .as("the recorder does see the secret once the enclave hands it out").isNotEqualTo(-1);
    }
  }

  @Test
  void exchange_withAReceiverOfAnotherSigner_isRefusedAndNoSecretLeaves() throws Exception {
    Path sender = TestBundles.builder("sender", PairApp.class).productId(PairApp.SENDER).build(dir);
    Path impostor = TestBundles.builder("impostor", PairApp.class).productId(PairApp.RECEIVER)
        .signedWith(BundleSigningKey.generate()).build(dir);
    try (EnclaveManager manager =
            EnclaveManager.create(List.of(new SimBackend()), dir.resolve("home"));
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      Enclave alice = manager.load("alice", sender);
      Enclave mallory = manager.load("bob", impostor);
      CompletableFuture<byte[]> listening =
          CompletableFuture.supplyAsync(() -> mallory.run("receive".getBytes(UTF_8)), threads);

      assertThatThrownBy(() -> alice.run("send bob".getBytes(UTF_8)))
          .isInstanceOfSatisfying(EnclaveException.class, e -> {
            assertThat(e.code()).isEqualTo(Code.PERMISSION_DENIED);
            assertThat(e.getMessage()).contains("signer");
          });
      assertThatThrownBy(() -> listening.get(30, TimeUnit.SECONDS))
          .hasCauseInstanceOf(EnclaveException.class);
      assertThatThrownBy(() -> alice.run("insecure-reveal".getBytes(UTF_8)))
          .hasMessageContaining("no secret was sent");
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
