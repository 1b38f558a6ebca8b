package dev.cella.protocol.transport;

import static dev.cella.protocol.transport.RingLayout.FIRST;
import static dev.cella.protocol.transport.RingLayout.KIND_REQUEST;
import static dev.cella.protocol.transport.RingLayout.KIND_RESPONSE;
import static dev.cella.protocol.transport.RingLayout.LAST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ring's records, and what its reader does with impossible contents. */
class RingTest {
  private static final int CAPACITY = 4096;
  private static final byte[] NONE = new byte[0];
  private final Arena arena = Arena.ofConfined();
  private final MemorySegment ring = arena.allocate(RingLayout.ringBytes(CAPACITY), 128);
  private final MemorySegment data = RingLayout.data(ring);

  @AfterEach
  void free() {
    arena.close();
  }

  private final class Collector implements RingReader.Sink {
    final MessageAssembler assembler = new MessageAssembler(1 << 20);

    @Override
    public void record(byte kind, byte flags, long callId, long parentId, int totalLength,
        int headLength, MemorySegment segment, long offset, int length) {
      assembler.record(kind, flags, callId, parentId, totalLength, headLength, segment, offset,
          length);
    }
  }

  @Test
  void records_roundTrip_acrossManyWrapArounds() {
    RingWriter writer = new RingWriter(ring, CAPACITY);
    RingReader reader = new RingReader(ring, CAPACITY);
    Collector sink = new Collector();
    Random random = new Random(42);
    for (int i = 0; i < 2000; i++) {
      byte[] payload = new byte[random.nextInt(writer.maxChunk() + 1)];
      random.nextBytes(payload);
      assertThat(writer.tryWrite(KIND_REQUEST, (byte) (FIRST | LAST), i, i / 2, payload.length,
          0, NONE, payload, 0, payload.length)).isTrue();
      assertThat(reader.poll(sink)).isTrue();
      Message m = sink.assembler.takeCompleted();
      assertThat(m.callId()).isEqualTo(i);
      assertThat(m.parentId()).isEqualTo(i / 2);
      assertThat(m.body()).isEqualTo(payload);
      assertThat(reader.poll(sink)).isFalse();
    }
  }

  @Test
  void writer_refusesWhenFull_andResumesOnceRead() {
    RingWriter writer = new RingWriter(ring, CAPACITY);
    RingReader reader = new RingReader(ring, CAPACITY);
    byte[] chunk = new byte[writer.maxChunk()];
    int written = 0;
    while (writer.tryWrite(KIND_REQUEST, (byte) (FIRST | LAST), written, 0, chunk.length, 0, NONE, chunk,
        0, chunk.length)) {
      written++;
    }
    assertThat(written).isEqualTo(4);
    Collector sink = new Collector();
    assertThat(reader.poll(sink)).isTrue();
    assertThat(writer.tryWrite(KIND_REQUEST, (byte) (FIRST | LAST), 9, 0, chunk.length, 0, NONE, chunk, 0,
        chunk.length)).isTrue();
  }

  @Test
  void producerPositionBeyondTheRing_isAViolation() {
    RingReader reader = new RingReader(ring, CAPACITY);
    RingLayout.LONG.setVolatile(ring, RingLayout.TAIL, (long) CAPACITY + 8);
    assertViolation(reader, "impossible");
    RingLayout.LONG.setVolatile(ring, RingLayout.TAIL, -8L);
    assertViolation(reader, "impossible");
  }

  @Test
  void consumerPositionAheadOfTheProducer_isAViolationForTheWriter() {
    RingWriter writer = new RingWriter(ring, CAPACITY);
    byte[] chunk = new byte[writer.maxChunk()];
    while (writer.tryWrite(KIND_REQUEST, (byte) (FIRST | LAST), 1, 0, chunk.length, 0, NONE, chunk, 0,
        chunk.length)) {
      // Fill the ring, so that the next write must look at the consumer's position.
    }
    RingLayout.LONG.setVolatile(ring, RingLayout.HEAD, (long) CAPACITY + 64);
    assertThatThrownBy(() -> writer.tryWrite(KIND_REQUEST, (byte) (FIRST | LAST), 1, 0,
        chunk.length, 0, NONE, chunk, 0, chunk.length))
        .isInstanceOf(TransportException.class).hasMessageContaining("impossible");
  }

  @Test
  void consumerPositionMovingBackwards_isAViolationForTheWriter() {
    RingWriter writer = new RingWriter(ring, CAPACITY);
    RingReader reader = new RingReader(ring, CAPACITY);
    byte[] chunk = new byte[writer.maxChunk()];
    for (int i = 0; i < 4; i++) {
      assertThat(writer.tryWrite(KIND_REQUEST, (byte) (FIRST | LAST), i, 0, chunk.length, 0, NONE, chunk,
          0, chunk.length)).isTrue();
    }
    Collector sink = new Collector();
    reader.poll(sink);
    sink.assembler.takeCompleted();
    assertThat(writer.tryWrite(KIND_REQUEST, (byte) (FIRST | LAST), 5, 0, chunk.length, 0, NONE, chunk, 0,
        chunk.length)).isTrue();
    RingLayout.LONG.setVolatile(ring, RingLayout.HEAD, 0L);
    assertThatThrownBy(() -> writer.tryWrite(KIND_REQUEST, (byte) (FIRST | LAST), 6, 0,
        chunk.length, 0, NONE, chunk, 0, chunk.length))
        .isInstanceOf(TransportException.class).hasMessageContaining("impossible");
  }

  @Test
  void recordLongerThanAChunk_isAViolation() {
    RingReader reader = new RingReader(ring, CAPACITY);
    publishHeader(0, Integer.MAX_VALUE, KIND_REQUEST, (byte) (FIRST | LAST), 64);
    assertViolation(reader, "payload bytes");
    data.set(ValueLayout.JAVA_INT, 0, -1);
    assertViolation(reader, "payload bytes");
  }

  @Test
  void recordOverrunningWhatWasPublished_isAViolation() {
    RingReader reader = new RingReader(ring, CAPACITY);
    publishHeader(0, 100, KIND_REQUEST, (byte) (FIRST | LAST), 64);
    assertViolation(reader, "overruns");
  }

  @Test
  void partialHeader_isAViolation() {
    RingReader reader = new RingReader(ring, CAPACITY);
    RingLayout.LONG.setVolatile(ring, RingLayout.TAIL, 16L);
    assertViolation(reader, "partial record");
  }

  @Test
  void unknownKindOrFlags_areViolations() {
    RingReader reader = new RingReader(ring, CAPACITY);
    publishHeader(0, 0, (byte) 9, (byte) (FIRST | LAST), 32);
    assertViolation(reader, "unknown record kind");
    publishHeader(0, 0, KIND_REQUEST, (byte) 0x40, 32);
    assertViolation(reader, "unknown record flags");
  }

  @Test
  void paddingThatDoesNotReachTheEnd_isAViolation() {
    RingReader reader = new RingReader(ring, CAPACITY);
    publishHeader(0, 8, RingLayout.KIND_PAD, (byte) 0, 64);
    assertViolation(reader, "padding");
  }

  @Test
  void messageLengths_areChecked_beforeAnythingIsAllocated() {
    MessageAssembler assembler = new MessageAssembler(1000);
    MemorySegment payload = arena.allocate(64);
    assertThatThrownBy(() -> assembler.record(KIND_REQUEST, FIRST, 1, 0, 1001, 0, payload, 0, 10))
        .isInstanceOf(TransportException.class).hasMessageContaining("exceeds the limit");
    assertThatThrownBy(() -> assembler.record(KIND_REQUEST, FIRST, 1, 0, -5, 0, payload, 0, 10))
        .isInstanceOf(TransportException.class).hasMessageContaining("exceeds the limit");
    assertThatThrownBy(() -> assembler.record(KIND_REQUEST, (byte) (FIRST | LAST), 1, 0, 20,
        0, payload, 0, 10)).isInstanceOf(TransportException.class).hasMessageContaining("early");
    assertThatThrownBy(() -> assembler.record(KIND_REQUEST, FIRST, 1, 0, 5, 0, payload, 0, 10))
        .isInstanceOf(TransportException.class).hasMessageContaining("longer than its message");
    assertThatThrownBy(() -> assembler.record(KIND_REQUEST, LAST, 1, 0, 0, 0, payload, 0, 10))
        .isInstanceOf(TransportException.class).hasMessageContaining("never began");
    assertThatThrownBy(() -> assembler.record(KIND_RESPONSE, (byte) (FIRST | LAST), 1, 7, 0,
        0, payload, 0, 0)).isInstanceOf(TransportException.class).hasMessageContaining("parent");
  }

  @Test
  void chunks_mustContinueTheirMessage_exactly() {
    MemorySegment payload = arena.allocate(64);
    MessageAssembler interleaved = new MessageAssembler(1000);
    interleaved.record(KIND_REQUEST, FIRST, 1, 0, 30, 0, payload, 0, 10);
    assertThatThrownBy(() -> interleaved.record(KIND_REQUEST, (byte) 0, 2, 0, 0, 0, payload, 0, 10))
        .isInstanceOf(TransportException.class).hasMessageContaining("interleaves");
    MessageAssembler nested = new MessageAssembler(1000);
    nested.record(KIND_REQUEST, FIRST, 1, 0, 30, 0, payload, 0, 10);
    assertThatThrownBy(() -> nested.record(KIND_REQUEST, FIRST, 3, 0, 10, 0, payload, 0, 10))
        .isInstanceOf(TransportException.class).hasMessageContaining("began inside");
    MessageAssembler overrun = new MessageAssembler(1000);
    overrun.record(KIND_REQUEST, FIRST, 1, 0, 30, 0, payload, 0, 10);
    assertThatThrownBy(() -> overrun.record(KIND_REQUEST, (byte) 0, 1, 0, 0, 0, payload, 0, 30))
        .isInstanceOf(TransportException.class).hasMessageContaining("overrun");
    MessageAssembler whole = new MessageAssembler(1000);
    whole.record(KIND_REQUEST, FIRST, 1, 0, 30, 0, payload, 0, 10);
    whole.record(KIND_REQUEST, (byte) 0, 1, 0, 0, 0, payload, 0, 10);
    whole.record(KIND_REQUEST, LAST, 1, 0, 0, 0, payload, 0, 10);
    assertThat(whole.takeCompleted().body()).hasSize(30);
  }

  @Test
  void messageWithAHead_arrivesAsItsTwoParts_acrossRecords() {
    RingWriter writer = new RingWriter(ring, CAPACITY);
    RingReader reader = new RingReader(ring, CAPACITY);
    Collector sink = new Collector();
    byte[] head = {1, 2};
    byte[] body = new byte[3 * writer.maxChunk() / 2];
    new Random(7).nextBytes(body);
    int total = head.length + body.length;
    int first = writer.maxChunk();
    assertThat(writer.tryWrite(KIND_REQUEST, FIRST, 4, 0, total, head.length, head, body, 0,
        first)).isTrue();
    assertThat(reader.poll(sink)).isTrue();
    assertThat(sink.assembler.takeCompleted()).isNull();
    assertThat(writer.tryWrite(KIND_REQUEST, LAST, 4, 0, total, 0, head, body, first,
        total - first)).isTrue();
    assertThat(reader.poll(sink)).isTrue();
    Message m = sink.assembler.takeCompleted();
    assertThat(m.head()).containsExactly(1, 2);
    assertThat(m.body()).isEqualTo(body);
  }

  @Test
  void headLengths_areChecked() {
    MemorySegment payload = arena.allocate(300);
    assertThatThrownBy(() -> new MessageAssembler(1000).record(KIND_REQUEST,
        (byte) (FIRST | LAST), 1, 0, 10, 11, payload, 0, 10))
        .isInstanceOf(TransportException.class).hasMessageContaining("claims a head");
    assertThatThrownBy(() -> new MessageAssembler(1000).record(KIND_REQUEST,
        (byte) (FIRST | LAST), 1, 0, 300, 256, payload, 0, 300))
        .isInstanceOf(TransportException.class).hasMessageContaining("claims a head");
    MessageAssembler continued = new MessageAssembler(1000);
    continued.record(KIND_REQUEST, FIRST, 1, 0, 30, 2, payload, 0, 10);
    assertThatThrownBy(() -> continued.record(KIND_REQUEST, LAST, 1, 0, 0, 2, payload, 0, 20))
        .isInstanceOf(TransportException.class).hasMessageContaining("continues a message");
  }

  private void publishHeader(int index, int length, byte kind, byte flags, long tail) {
    data.set(ValueLayout.JAVA_INT, index, length);
    data.set(ValueLayout.JAVA_BYTE, index + 4, kind);
    data.set(ValueLayout.JAVA_BYTE, index + 5, flags);
    RingLayout.LONG.setVolatile(ring, RingLayout.TAIL, tail);
  }

  private void assertViolation(RingReader reader, String message) {
    assertThatThrownBy(() -> reader.poll(new Collector()))
        .isInstanceOf(TransportException.class).hasMessageContaining(message);
  }

  @Test
  void aNewRingMustStartEmpty() {
    RingLayout.LONG.setVolatile(ring, RingLayout.TAIL, 8L);
    assertThatThrownBy(() -> new RingWriter(ring, CAPACITY)).isInstanceOf(TransportException.class);
  }
}
