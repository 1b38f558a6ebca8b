package dev.cella.protocol.transport;

import static dev.cella.protocol.transport.RingLayout.FIRST;
import static dev.cella.protocol.transport.RingLayout.KIND_REQUEST;
import static dev.cella.protocol.transport.RingLayout.LAST;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The host's side of a channel played by hand, for tests of the enclave's endpoint: the test
 * writes whole messages into the host's ring itself, ringing the enclave's doorbell when it asks
 * for that, and reads what comes back. Used by one test thread at a time.
 */
final class HandHost {
  private static final byte[] NONE = new byte[0];

  final ChannelPair pair;
  final RingWriter toEnclave;
  final RingReader fromEnclave;
  private final MessageAssembler assembler = new MessageAssembler(1 << 20);

  private HandHost(ChannelPair pair) {
    this.pair = pair;
    Endpoint.Rings rings = pair.host.hostRings();
    this.toEnclave = rings.writer;
    this.fromEnclave = rings.reader;
  }

  /**
   * A pair with 64 KiB rings of which only the enclave's end runs, an inline server built with
   * {@code enclaveOptions}; {@code pairs} closes it after the test.
   */
  static HandHost start(ChannelPairs pairs, Endpoint.Handler onEnclave,
      UnaryOperator<Endpoint.Builder> enclaveOptions) throws IOException {
    return new HandHost(pairs.open(1 << 16).startEnclaveOnly(onEnclave, enclaveOptions));
  }

  /**
   * Writes request {@code callId} having said that this thread polls for what comes back (so
   * the enclave need not ring it); returns whether the request had to ring.
   */
  boolean request(long callId, byte[] payload) throws IOException {
    fromEnclave.cancelWake();
    return write(KIND_REQUEST, callId, payload);
  }

  /**
   * Writes one whole message, waiting up to 10 s for room, and rings the enclave's doorbell if
   * it asked for that; returns whether it rang. Leaves this side's wake flag as it is.
   */
  boolean write(byte kind, long callId, byte[] payload) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!toEnclave.tryWrite(kind, (byte) (FIRST | LAST), callId, 0, payload.length, 0, NONE,
        payload, 0, payload.length)) {
      assertThat(System.nanoTime()).as("room in the ring").isLessThan(deadline);
      Thread.onSpinWait();
    }
    boolean rang = toEnclave.takeWakeRequest();
    if (rang) {
      pair.hostBell.ring();
    }
    return rang;
  }

  /** The next whole message from the enclave, polled for up to 20 s. */
  Message awaitMessage() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      if (fromEnclave.poll(assembler)) {
        Message message = assembler.takeCompleted();
        if (message != null) {
          return message;
        }
        continue;
      }
      assertThat(System.nanoTime()).as("a message from the enclave").isLessThan(deadline);
      Thread.onSpinWait();
    }
  }
}
