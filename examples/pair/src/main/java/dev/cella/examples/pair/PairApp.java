package dev.cella.examples.pair;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.PlatformKind;
import dev.cella.attestation.AttestationPolicy;
import dev.cella.attestation.ratls.RaTlsCertificateException;
import dev.cella.enclave.EnclaveChannel;
import dev.cella.enclave.EnclaveContext;
import dev.cella.enclave.TrustedApplication;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;

/**
 * One of a pair of enclaves built from this class: the sender (product id 1) makes a secret and
 * sends it to the receiver (product id 2) over an attested channel; each trusts only an enclave of
 * the same signer with the other's product id, on the platform it runs on itself. The host relays
 * the channel's TLS records and learns nothing but SHA-256 digests of the secret.
 *
 * <p>Commands: {@code send PEER} (sender: returns the digest of what it sent), {@code receive}
 * (receiver: returns the digest of what it received), and {@code insecure-reveal} (sender: hands
 * the secret to the host — for the demonstration that the host had not seen it before).
 */
public final class PairApp implements TrustedApplication {
  static final int SENDER = 1;
  static final int RECEIVER = 2;
  private static final Duration WAIT = Duration.ofSeconds(20);

  private EnclaveContext context;
  private volatile byte[] secret;

  @Override
  public void initialize(EnclaveContext context, byte[] config) {
    this.context = context;
  }

  @Override
  public byte[] run(byte[] input) {
    String[] command = new String(input, StandardCharsets.UTF_8).split(" ", 2);
    try {
      return switch (command[0]) {
        case "send" -> send(command[1]);
        case "receive" -> receive();
        case "insecure-reveal" -> reveal();
        default -> throw new EnclaveException(Code.INVALID_ARGUMENT, "unknown command " + command[0]);
      };
    } catch (RaTlsCertificateException e) {
      throw new EnclaveException(Code.PERMISSION_DENIED, "peer refused: " + e.getMessage());
    }
  }

  private byte[] send(String peer) throws RaTlsCertificateException {
    requireProduct(SENDER);
    byte[] made = new byte[32];
    new SecureRandom().nextBytes(made);
    byte[] message = ("secret " + HexFormat.of().formatHex(made)).getBytes(StandardCharsets.UTF_8);
    try (EnclaveChannel channel = context.connect(peer, policyFor(RECEIVER), WAIT)) {
      channel.send(message);
      byte[] ack = channel.receive(WAIT).orElseThrow(
          () -> new EnclaveException(Code.UNAVAILABLE, "the receiver closed without answering"));
      if (!MessageDigest.isEqual(ack, sha256(message))) {
        throw new EnclaveException(Code.DATA_LOSS, "the receiver acknowledged other bytes");
      }
    }
    secret = message;
    return hex(sha256(message));
  }

  private byte[] receive() throws RaTlsCertificateException {
    requireProduct(RECEIVER);
    try (EnclaveChannel channel = context.accept(policyFor(SENDER), WAIT)) {
      byte[] message = channel.receive(WAIT).orElseThrow(
          () -> new EnclaveException(Code.UNAVAILABLE, "the sender closed without a secret"));
      channel.send(sha256(message));
      return hex(sha256(message));
    }
  }

  private byte[] reveal() {
    byte[] kept = secret;
    if (kept == null) {
      throw new EnclaveException(Code.FAILED_PRECONDITION, "no secret was sent yet");
    }
    return kept.clone();
  }

  /** An enclave of this enclave's signer with {@code product}, on this enclave's platform. */
  private AttestationPolicy policyFor(int product) {
    AttestationPolicy.Builder policy = AttestationPolicy.builder()
        .signer(context.identity().signer())
        .productId(product)
        .trustSoftwarePlatform(context.platformRoot());
    if (context.identity().platform() == PlatformKind.SIM) {
      policy.insecureAcceptSimulated(); // sim proves nothing; the example runs there in tests
    }
    return policy.build();
  }

  private void requireProduct(int product) {
    if (context.identity().productId() != product) {
      throw new EnclaveException(Code.FAILED_PRECONDITION, "this command is for product "
          + product + ", this enclave is product " + context.identity().productId());
    }
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes).getBytes(StandardCharsets.UTF_8);
  }
}
