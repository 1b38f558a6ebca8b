package dev.cella.protocol.transport;

import static dev.cella.protocol.transport.RingLayout.FIRST;
import static dev.cella.protocol.transport.RingLayout.KIND_REQUEST;
import static dev.cella.protocol.transport.RingLayout.LAST;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * A message in two parts crosses the ring intact wherever its records end: inside the head, at
 * its end, inside the body; with an empty head or body. The writer's and the assembler's copies
 * from and into two arrays are what is checked, so the record lengths are chosen freely (a peer
 * may cut records anywhere), not as the outbox cuts them.
 */
class RingPartsPropertyTest {
  private static final int CAPACITY = 4096;

  @Property(tries = 300)
  void aMessageInTwoParts_arrivesAsThem_whereverItsRecordsEnd(
      @ForAll @IntRange(min = 0, max = RingLayout.MAX_HEAD) int headLength,
      @ForAll @IntRange(min = 0, max = 3000) int bodyLength,
      @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 0, max = 300) Integer> cuts,
      @ForAll long seed) {
    Random random = new Random(seed);
    byte[] head = new byte[headLength];
    byte[] body = new byte[bodyLength];
    random.nextBytes(head);
    random.nextBytes(body);
    int total = headLength + bodyLength;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment ring = arena.allocate(RingLayout.ringBytes(CAPACITY), 128);
      RingWriter writer = new RingWriter(ring, CAPACITY);
      RingReader reader = new RingReader(ring, CAPACITY);
      MessageAssembler assembler = new MessageAssembler(1 << 20);
      int offset = 0;
      int cut = 0;
      do {
        // Record lengths from the cuts, the first ones small enough to end inside the head; a
        // zero-length record in the middle of a message is allowed too.
        int length = Math.min(total - offset,
            Math.min(writer.maxChunk(), cuts.get(cut++ % cuts.size())));
        if (cut > cuts.size() && length == 0) {
          length = Math.min(total - offset, writer.maxChunk());
        }
        boolean first = cut == 1;
        byte flags = (byte) ((first ? FIRST : 0) | (offset + length == total ? LAST : 0));
        assertThat(writer.tryWrite(KIND_REQUEST, flags, 9, 0, total, first ? headLength : 0,
            head, body, offset, length)).isTrue();
        assertThat(reader.poll(assembler)).isTrue();
        offset += length;
      } while (offset < total);
      Message message = assembler.takeCompleted();
      assertThat(message).isNotNull();
      assertThat(message.head()).isEqualTo(head);
      assertThat(message.body()).isEqualTo(body);
      assertThat(message.parts().joined()).hasSize(total);
    }
  }
}
