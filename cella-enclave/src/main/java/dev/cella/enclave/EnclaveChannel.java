package dev.cella.enclave;

import dev.cella.attestation.VerifiedEnclave;
import java.time.Duration;
import java.util.Optional;

/**
 * A bidirectional, message-oriented channel between two enclaves: TLS 1.3 with RA-TLS
 * certificates on both sides, relayed by the host as opaque bytes. Both ends verified each other
 * against their policies before {@link EnclaveContext#connect} or {@link EnclaveContext#accept}
 * returned; the host sees only TLS records and never the messages.
 *
 * <pre>{@code
 * try (EnclaveChannel channel = context.connect("vault", policy)) {
 *   channel.send("hello".getBytes(UTF_8));
 *   byte[] answer = channel.receive(Duration.ofSeconds(5)).orElseThrow();
 * }
 * }</pre>
 *
 * <p>Thread-safe: one thread may send while another receives; concurrent sends (or receives) are
 * serialized.
 */
public interface EnclaveChannel extends AutoCloseable {
  /** The longest message, in bytes. */
  int MAX_MESSAGE_BYTES = 16 << 20;

  /** The name the host gave the peer enclave: the host's word, not a security claim. */
  String peerName();

  /** What the peer's evidence proves, verified against this side's policy. */
  VerifiedEnclave peer();

  /**
   * Sends one message (at most {@link #MAX_MESSAGE_BYTES}).
   *
   * @throws dev.cella.EnclaveException {@code FAILED_PRECONDITION} once closed, {@code
   *     UNAVAILABLE} if the peer is gone or refuses the bytes
   */
  void send(byte[] message);

  /**
   * The next message, waiting at most {@code timeout}; empty once the peer closed the channel
   * (after its last message).
   *
   * @throws dev.cella.EnclaveException {@code DEADLINE_EXCEEDED} if no message came in time,
   *     {@code UNAVAILABLE} if the channel broke without the peer closing it (the peer crashed,
   *     or the host cut it), {@code FAILED_PRECONDITION} if this side closed it
   */
  Optional<byte[]> receive(Duration timeout);

  /** Tells the peer (TLS close_notify) and releases the channel. Idempotent. */
  @Override
  void close();
}
