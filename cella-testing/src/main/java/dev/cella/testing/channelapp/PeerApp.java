package dev.cella.testing.channelapp;

import dev.cella.EnclaveException;
import dev.cella.PlatformKind;
import dev.cella.attestation.AttestationPolicy;
import dev.cella.attestation.ratls.RaTlsCertificateException;
import dev.cella.enclave.EnclaveChannel;
import dev.cella.enclave.EnclaveContext;
import dev.cella.enclave.TrustedApplication;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A channel test enclave. Commands (text): {@code accept PRODUCT MS} waits for a peer of that
 * product id (same signer, same platform) and echoes its first message; {@code connect PEER
 * PRODUCT MS TEXT} sends TEXT to PEER and returns its answer. Failures come back as text: {@code
 * refused REASON} for this side's trust manager, {@code error CODE message} otherwise.
 */
public final class PeerApp implements TrustedApplication {
  private EnclaveContext context;

  @Override
  public void initialize(EnclaveContext context, byte[] config) {
    this.context = context;
  }

  @Override
  public byte[] run(byte[] input) {
    String[] words = new String(input, StandardCharsets.UTF_8).split(" ", 5);
    try {
      String answer = switch (words[0]) {
        case "accept" -> accept(Integer.parseInt(words[1]), Long.parseLong(words[2]));
        case "connect" -> connect(words[1], Integer.parseInt(words[2]), Long.parseLong(words[3]),
            words[4]);
        default -> "error UNKNOWN command";
      };
      return answer.getBytes(StandardCharsets.UTF_8);
    } catch (RaTlsCertificateException e) {
      return ("refused " + e.reason() + " " + e.getMessage()).getBytes(StandardCharsets.UTF_8);
    } catch (EnclaveException e) {
      return ("error " + e.code() + " " + e.getMessage()).getBytes(StandardCharsets.UTF_8);
    }
  }

  private AttestationPolicy peerPolicy(int product) {
    AttestationPolicy.Builder policy = AttestationPolicy.builder()
        .signer(context.identity().signer())
        .productId(product)
        .trustSoftwarePlatform(context.platformRoot());
    if (context.identity().platform() == PlatformKind.SIM) {
      policy.insecureAcceptSimulated();
    }
    return policy.build();
  }

  private String accept(int product, long millis) throws RaTlsCertificateException {
    try (EnclaveChannel channel = context.accept(peerPolicy(product), Duration.ofMillis(millis))) {
      byte[] message = channel.receive(Duration.ofSeconds(10)).orElseThrow();
      channel.send(("echo " + new String(message, StandardCharsets.UTF_8))
          .getBytes(StandardCharsets.UTF_8));
      boolean closedByPeer = channel.receive(Duration.ofSeconds(10)).isEmpty();
      return "accepted " + channel.peerName() + " product " + channel.peer().productId()
          + (closedByPeer ? " closed" : " open");
    }
  }

  private String connect(String peer, int product, long millis, String text)
      throws RaTlsCertificateException {
    try (EnclaveChannel channel =
        context.connect(peer, peerPolicy(product), Duration.ofMillis(millis))) {
      channel.send(text.getBytes(StandardCharsets.UTF_8));
      byte[] answer = channel.receive(Duration.ofSeconds(10)).orElseThrow();
      return new String(answer, StandardCharsets.UTF_8) + " from product "
          + channel.peer().productId();
    }
  }
}
