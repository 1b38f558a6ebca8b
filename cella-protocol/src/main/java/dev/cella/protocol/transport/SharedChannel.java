package dev.cella.protocol.transport;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The memory two processes share for one channel: a file that both map, holding a header and two
 * rings, host to enclave and enclave to host. The host {@link #create creates} it (owner-only) and
 * the enclave {@link #open opens} it, checks its header, and {@link #markOpened marks} it opened;
 * the host then deletes the file, so that no other process can map it later and nothing is left
 * behind.
 *
 * <pre>
 * header (128 bytes): magic "CELLACH1" u64, version u32 (2), ring capacity u32, opened u32
 * ring host to enclave, then ring enclave to host (see RingLayout)
 * </pre>
 *
 * <pre>{@code
 * SharedChannel channel = SharedChannel.create(folder.resolve("channel"), 1 << 20);
 * // ... the child maps it with SharedChannel.open(path) and calls markOpened()
 * Endpoint host = Endpoint.builder(channel.hostReader(), channel.hostWriter(), doorbell) ...
 * }</pre>
 *
 * <p>Thread-safe; {@link #close} unmaps the memory, after which every use fails.
 */
public final class SharedChannel implements AutoCloseable {
  private static final long MAGIC = 0x43454C4C41434831L; // "CELLACH1"
  private static final int VERSION = 2;
  private static final int HEADER_BYTES = 128;
  private static final long OPENED = 16;

  /** The default data bytes of each ring. */
  public static final int DEFAULT_RING_CAPACITY = 1 << 20;

  private final Arena arena;
  private final MemorySegment memory;
  private final int capacity;
  private final MemorySegment hostToEnclave;
  private final MemorySegment enclaveToHost;

  private SharedChannel(Arena arena, MemorySegment memory, int capacity) {
    this.arena = arena;
    this.memory = memory;
    this.capacity = capacity;
    long ring = RingLayout.ringBytes(capacity);
    this.hostToEnclave = memory.asSlice(HEADER_BYTES, ring);
    this.enclaveToHost = memory.asSlice(HEADER_BYTES + ring, ring);
  }

  /**
   * Creates the file {@code file} (it must not exist; mode 0600) with two empty rings of {@code
   * ringCapacity} bytes each, and maps it.
   */
  public static SharedChannel create(Path file, int ringCapacity) throws IOException {
    if (!RingLayout.validCapacity(ringCapacity)) {
      throw new IllegalArgumentException("ring capacity must be a power of two from "
          + RingLayout.MIN_CAPACITY + " to " + RingLayout.MAX_CAPACITY + ", got " + ringCapacity);
    }
    long size = HEADER_BYTES + 2 * RingLayout.ringBytes(ringCapacity);
    Files.createFile(file,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Arena arena = Arena.ofShared();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      channel.truncate(size);
      channel.write(java.nio.ByteBuffer.allocate(1), size - 1);
      MemorySegment memory = channel.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
      memory.set(ValueLayout.JAVA_LONG, 0, MAGIC);
      memory.set(ValueLayout.JAVA_INT, 8, VERSION);
      memory.set(ValueLayout.JAVA_INT, 12, ringCapacity);
      SharedChannel shared = new SharedChannel(arena, memory, ringCapacity);
      // Until a reader is polling, every record rings the doorbell.
      new RingReader(shared.hostToEnclave, ringCapacity).requestWake();
      new RingReader(shared.enclaveToHost, ringCapacity).requestWake();
      return shared;
    } catch (IOException | RuntimeException e) {
      arena.close();
      Files.deleteIfExists(file);
      throw e;
    }
  }

  /**
   * Maps a channel file made by {@link #create}, checking its header and size.
   *
   * @throws TransportException if the file is not a channel of this version
   */
  public static SharedChannel open(Path file) throws IOException {
    Arena arena = Arena.ofShared();
    try (FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.READ,
        StandardOpenOption.WRITE))) {
      long size = channel.size();
      if (size < HEADER_BYTES) {
        throw new TransportException("the channel file is " + size + " bytes, too short");
      }
      MemorySegment memory = channel.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
      if (memory.get(ValueLayout.JAVA_LONG, 0) != MAGIC) {
        throw new TransportException("the channel file is not a Cella channel");
      }
      int version = memory.get(ValueLayout.JAVA_INT, 8);
      if (version != VERSION) {
        throw new TransportException("channel version " + version + " is not supported");
      }
      int capacity = memory.get(ValueLayout.JAVA_INT, 12);
      if (!RingLayout.validCapacity(capacity)
          || size != HEADER_BYTES + 2 * RingLayout.ringBytes(capacity)) {
        throw new TransportException("the channel file's rings do not match its size");
      }
      return new SharedChannel(arena, memory, capacity);
    } catch (IOException | RuntimeException e) {
      arena.close();
      throw e;
    }
  }

  /** The enclave side says it has mapped the channel. */
  public void markOpened() {
    RingLayout.INT.setVolatile(memory, OPENED, 1);
  }

  /** Whether the enclave side has mapped the channel. */
  public boolean isOpened() {
    return (int) RingLayout.INT.getVolatile(memory, OPENED) == 1;
  }

  /** The data bytes of each ring. */
  public int ringCapacity() {
    return capacity;
  }

  /** The host's end: it writes host to enclave and reads enclave to host. */
  public Endpoint.Rings hostRings() {
    return new Endpoint.Rings(new RingReader(enclaveToHost, capacity),
        new RingWriter(hostToEnclave, capacity), true);
  }

  /** The enclave's end: it writes enclave to host and reads host to enclave. */
  public Endpoint.Rings enclaveRings() {
    return new Endpoint.Rings(new RingReader(hostToEnclave, capacity),
        new RingWriter(enclaveToHost, capacity), false);
  }

  /** The wake flag of the ring the host reads, as it is now (for tests and diagnostics). */
  int hostWakeFlag() {
    return (int) RingLayout.INT.getVolatile(enclaveToHost, RingLayout.WAKE);
  }

  /** Unmaps the memory. Idempotent. */
  @Override
  public void close() {
    try {
      arena.close();
    } catch (IllegalStateException alreadyClosed) {
      // Closed before.
    }
  }
}
