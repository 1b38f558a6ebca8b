package dev.cella.enclave.sealing.internal;

import dev.cella.Bytes;
import dev.cella.enclave.sealing.SealedStorageException;
import dev.cella.enclave.sealing.SealedStorageException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The sealed file table: every directory and file of a store with the object that holds it, the
 * store's id and name, and the generation (the counter value it is bound to). Immutable; a commit
 * makes a new one. The plaintext encoding, version 1 (big-endian):
 *
 * <pre>
 *   "CSFM" | u8 version = 1 | storeId(16) | u16 n, name(n, UTF-8) | u64 generation | u32 count
 *   count × ( u16 n, path(n, UTF-8) | u8 kind (1 dir, 2 file) | i64 created | i64 modified
 *             [file: u64 fileId | u64 version | u64 size | objectName(16) | tag(16)] )
 * </pre>
 *
 * <p>Paths are absolute and normalized ({@code /}, {@code /a}, {@code /a/b}); the root is always
 * present, and every other entry's parent is a directory of the table ({@link #decode} refuses
 * anything else). Thread-safe (immutable).
 */
public record Manifest(
    Bytes storeId, String storeName, long generation, NavigableMap<String, Entry> entries) {
  static final int STORE_ID_LENGTH = 16;
  private static final byte[] MAGIC = {'C', 'S', 'F', 'M'};
  private static final int VERSION = 1;

  public Manifest {
    Objects.requireNonNull(storeId, "storeId");
    Objects.requireNonNull(storeName, "storeName");
    entries = Collections.unmodifiableNavigableMap(new TreeMap<>(entries));
    if (!entries.containsKey("/") || !entries.get("/").directory()) {
      throw new IllegalArgumentException("a manifest needs its root directory");
    }
  }

  /** A new, empty store (generation 0: nothing committed yet). */
  public static Manifest empty(Bytes storeId, String storeName, long nanos) {
    return new Manifest(storeId, storeName, 0, new TreeMap<>(Map.of("/", Entry.newDirectory(nanos))));
  }

  /** The same table under another generation. */
  public Manifest withGeneration(long newGeneration) {
    return new Manifest(storeId, storeName, newGeneration, entries);
  }

  /** Another table of the same store, at the same generation until committed. */
  public Manifest withEntries(NavigableMap<String, Entry> newEntries) {
    return new Manifest(storeId, storeName, generation, newEntries);
  }

  /** The plaintext encoding. */
  public byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 128 * entries.size());
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write(MAGIC);
      out.writeByte(VERSION);
      out.write(storeId.toByteArray());
      writeString(out, storeName);
      out.writeLong(generation);
      out.writeInt(entries.size());
      for (Map.Entry<String, Entry> row : entries.entrySet()) {
        Entry e = row.getValue();
        writeString(out, row.getKey());
        out.writeByte(e.directory() ? 1 : 2);
        out.writeLong(e.createdNanos());
        out.writeLong(e.modifiedNanos());
        if (!e.directory()) {
          out.writeLong(e.fileId());
          out.writeLong(e.version());
          out.writeLong(e.size());
          out.write(e.objectName().toByteArray());
          out.write(e.tag().toByteArray());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("a byte array stream failed", e);
    }
    return bytes.toByteArray();
  }

  /**
   * Decodes an authenticated manifest plaintext. Since the sealer verified it, a decoding error
   * means another writer's format, reported as unreadable.
   */
  public static Manifest decode(byte[] plaintext) throws SealedStorageException {
    ByteBuffer in = ByteBuffer.wrap(plaintext);
    try {
      for (byte b : MAGIC) {
        if (in.get() != b) {
          throw unreadable("it is not a sealed manifest", null);
        }
      }
      int version = in.get() & 0xFF;
      if (version != VERSION) {
        throw unreadable("manifest format version " + version + " is unknown", null);
      }
      byte[] id = new byte[STORE_ID_LENGTH];
      in.get(id);
      String name = readString(in);
      long generation = in.getLong();
      int count = in.getInt();
      if (count < 1 || count > in.remaining() / 19) {
        throw unreadable("it declares " + Integer.toUnsignedString(count) + " entries", null);
      }
      TreeMap<String, Entry> entries = new TreeMap<>();
      for (int i = 0; i < count; i++) {
        String path = readString(in);
        int kind = in.get();
        long created = in.getLong();
        long modified = in.getLong();
        Entry entry = switch (kind) {
          case 1 -> new Entry(true, created, modified, 0, 0, 0, Bytes.empty(), Bytes.empty());
          case 2 -> new Entry(false, created, modified, in.getLong(), in.getLong(), in.getLong(),
              read(in, Entry.OBJECT_NAME_LENGTH), read(in, Entry.TAG_LENGTH));
          default -> throw unreadable("entry kind " + kind + " is unknown", null);
        };
        if (entries.put(path, entry) != null) {
          throw unreadable("it lists " + path + " twice", null);
        }
      }
      if (in.hasRemaining()) {
        throw unreadable(in.remaining() + " bytes follow the last entry", null);
      }
      checkTree(entries);
      return new Manifest(Bytes.of(id), name, generation, entries);
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw unreadable("it is malformed", e);
    }
  }

  /**
   * Refuses a table the file system could not have written: a path that is not absolute and
   * normalized with names a {@link SealedPath} allows (no NUL, no {@code .} or {@code ..}, at
   * most {@value SealedPath#MAX_NAME_BYTES} bytes each, {@value SealedPath#MAX_PATH_BYTES} in
   * all), or an entry whose parent is not a directory of the table.
   */
  private static void checkTree(NavigableMap<String, Entry> entries)
      throws SealedStorageException {
    for (Map.Entry<String, Entry> row : entries.entrySet()) {
      String path = row.getKey();
      if (path.equals(StorePaths.ROOT)) {
        continue;
      }
      if (!isStorePath(path)) {
        throw unreadable("it lists a path that is not absolute and normalized", null);
      }
      Entry parent = entries.get(StorePaths.parent(path));
      if (parent == null || !parent.directory()) {
        throw unreadable("it lists a path whose parent is not a directory of the table", null);
      }
    }
  }

  private static boolean isStorePath(String path) {
    if (!path.startsWith("/") || path.endsWith("/") || path.indexOf('\0') >= 0
        || path.getBytes(StandardCharsets.UTF_8).length > SealedPath.MAX_PATH_BYTES) {
      return false;
    }
    for (String name : path.substring(1).split("/", -1)) {
      if (name.isEmpty() || name.equals(".") || name.equals("..")
          || name.getBytes(StandardCharsets.UTF_8).length > SealedPath.MAX_NAME_BYTES) {
        return false;
      }
    }
    return true;
  }

  private static SealedStorageException unreadable(String why, Throwable cause) {
    return new SealedStorageException(Reason.UNREADABLE, null,
        "the manifest authenticates but cannot be read: " + why, cause);
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    out.writeShort(utf8.length);
    out.write(utf8);
  }

  private static String readString(ByteBuffer in) {
    byte[] utf8 = new byte[in.getShort() & 0xFFFF];
    in.get(utf8);
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(utf8)).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("a string is not UTF-8", e);
    }
  }

  private static Bytes read(ByteBuffer in, int length) {
    byte[] bytes = new byte[length];
    in.get(bytes);
    return Bytes.of(bytes);
  }
}
