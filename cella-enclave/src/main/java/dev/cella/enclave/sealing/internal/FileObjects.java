package dev.cella.enclave.sealing.internal;

import dev.cella.Bytes;
import dev.cella.enclave.sealing.SealedStorageException;
import dev.cella.enclave.sealing.SealedStorageException.Reason;
import dev.cella.enclave.sealing.Sealer;
import dev.cella.enclave.sealing.UnsealException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * The host objects that hold file contents, and their checks. An object is a sealed blob (see
 * {@link BlobFormat}) with associated data {@code "cella-sealed-fs-v1 object"} whose plaintext is
 *
 * <pre>
 *   "CSF1" | storeId(16) | u64 fileId | u64 version | content
 * </pre>
 *
 * so that an object names the store, file and version it holds; the manifest also records the
 * object's GCM tag, which pins the exact object it commits. Writers reserve {@link #HEADER_LENGTH}
 * bytes in front of the content, so sealing copies nothing.
 *
 * <p>Stateless and thread-safe.
 */
public final class FileObjects {
  /** Bytes before the content in an object's plaintext. */
  public static final int HEADER_LENGTH = 36;
  /** The largest file content an object holds. */
  public static final int MAX_CONTENT_LENGTH = BlobFormat.MAX_PLAINTEXT_LENGTH - HEADER_LENGTH;

  static final byte[] ASSOCIATED_DATA =
      "cella-sealed-fs-v1 object".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MAGIC = {'C', 'S', 'F', '1'};
  private static final Pattern OBJECT_NAME = Pattern.compile("[0-9a-f]{32}");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The content of a verified object: {@code buffer[offset, offset + length)}. */
  public record Content(byte[] buffer, int offset, int length) {}

  /** A sealed object and the entry fields that pin it. */
  public record Sealed(byte[] blob, Bytes objectName, Bytes tag) {}

  private FileObjects() {}

  /** A fresh random object name (16 bytes; the host sees their hex). */
  public static Bytes newObjectName() {
    byte[] name = new byte[Entry.OBJECT_NAME_LENGTH];
    RANDOM.nextBytes(name);
    return Bytes.of(name);
  }

  /** A fresh random file id. */
  public static long newFileId() {
    return RANDOM.nextLong();
  }

  /** Whether {@code name} looks like a file object's name (for garbage collection). */
  public static boolean isObjectName(String name) {
    return OBJECT_NAME.matcher(name).matches();
  }

  /**
   * Seals the content at {@code buffer[HEADER_LENGTH, HEADER_LENGTH + length)}, writing the
   * object header into {@code buffer[0, HEADER_LENGTH)} first.
   */
  public static Sealed seal(
      Sealer sealer, Bytes storeId, long fileId, long version, byte[] buffer, int length) {
    ByteBuffer header = ByteBuffer.wrap(buffer, 0, HEADER_LENGTH);
    header.put(MAGIC).put(storeId.toByteArray()).putLong(fileId).putLong(version);
    byte[] blob = sealer.seal(buffer, 0, HEADER_LENGTH + length, ASSOCIATED_DATA);
    Bytes tag = Bytes.of(blob, blob.length - Entry.TAG_LENGTH, Entry.TAG_LENGTH);
    return new Sealed(blob, newObjectName(), tag);
  }

  /**
   * Verifies that {@code blobOrNull} is exactly the object that {@code entry} of file {@code path}
   * in store {@code storeId} commits, and returns its content.
   */
  public static Content open(Sealer sealer, Bytes storeId, String path, Entry entry,
      byte[] blobOrNull) throws SealedStorageException {
    if (blobOrNull == null) {
      throw refused(Reason.MISSING, path, "the host has no object " + entry.objectNameHex()
          + " for it", null);
    }
    byte[] plaintext;
    try {
      plaintext = sealer.unseal(blobOrNull, ASSOCIATED_DATA);
    } catch (UnsealException e) {
      throw refused(fromUnseal(e.reason()), path, e.getMessage(), e);
    }
    ByteBuffer header = ByteBuffer.wrap(plaintext);
    if (plaintext.length < HEADER_LENGTH
        || !Arrays.equals(plaintext, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw refused(Reason.SWAPPED, path, "its object is a sealed blob, but not a file object",
          null);
    }
    header.position(MAGIC.length);
    byte[] id = new byte[Manifest.STORE_ID_LENGTH];
    header.get(id);
    long fileId = header.getLong();
    long version = header.getLong();
    if (!storeId.constantTimeEquals(Bytes.of(id))) {
      throw refused(Reason.SWAPPED, path, "its object belongs to another sealed store", null);
    }
    if (fileId != entry.fileId()) {
      throw refused(Reason.SWAPPED, path, "its object holds the content of another file", null);
    }
    if (version < entry.version()) {
      throw refused(Reason.ROLLED_BACK, path, "its object holds version " + version
          + ", the manifest commits version " + entry.version(), null);
    }
    Bytes tag = Bytes.of(blobOrNull, blobOrNull.length - Entry.TAG_LENGTH, Entry.TAG_LENGTH);
    if (version > entry.version() || !tag.constantTimeEquals(entry.tag())) {
      throw refused(Reason.SWAPPED, path, "its object holds a version (" + version
          + ") that the manifest never committed, e.g. from an interrupted write", null);
    }
    int length = plaintext.length - HEADER_LENGTH;
    if (length != entry.size()) {
      throw refused(Reason.MODIFIED, path, "its object holds " + length + " bytes, the manifest "
          + "commits " + entry.size(), null);
    }
    return new Content(plaintext, HEADER_LENGTH, length);
  }

  /** How an unseal failure of an object or the manifest is reported. */
  static Reason fromUnseal(UnsealException.Reason reason) {
    return switch (reason) {
      case TRUNCATED -> Reason.TRUNCATED;
      case TAMPERED, MALFORMED -> Reason.MODIFIED;
      case UNKNOWN_VERSION, WRONG_POLICY, WRONG_IDENTITY, HIGHER_SVN -> Reason.UNREADABLE;
    };
  }

  private static SealedStorageException refused(
      Reason reason, String path, String message, Throwable cause) {
    return new SealedStorageException(reason, path, message, cause);
  }
}
