package dev.cella.protocol;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The payload of {@link FrameType#PLATFORM_STORAGE}: one operation of sealed storage on the
 * host's untrusted object store, or on the platform's monotonic counter for that store. Objects
 * are ciphertext; their names carry no plaintext. The host checks every name it is sent.
 *
 * <p>Answers (the payload of the OK frame): {@code READ}: {@code [u8 present][u32 length][bytes]};
 * {@code LIST}: {@code [u32 count]} then each name as {@code [u32 length][utf-8]}; the counter
 * operations: {@code [u64 value]}; the others: empty.
 *
 * <p>Immutable and thread-safe.
 *
 * @param operation what to do
 * @param store the store's name (a folder of the enclave's storage on the host)
 * @param object the object's name, empty for LIST and the counter operations
 * @param bytes the new content for WRITE, else empty
 */
public record StorageRequest(Operation operation, String store, String object, byte[] bytes) {
  /** Store names: what a host folder name may safely be. */
  public static final Pattern STORE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  /**
   * Stores named {@code cella-mount-N} are the sealed mounts of an application bundle: the host
   * keeps store N in the host folder of the manifest's file grant number N.
   */
  public static final String MOUNT_STORE_PREFIX = "cella-mount-";
  /** Object names as sealed storage makes them. */
  public static final Pattern OBJECT_NAME = Pattern.compile("[a-z0-9]{1,64}");

  /** The operations, with their stable wire numbers. */
  public enum Operation {
    READ(1), WRITE(2), DELETE(3), LIST(4), COUNTER_READ(5), COUNTER_INCREMENT(6);

    private final int code;

    Operation(int code) {
      this.code = code;
    }

    static Operation forCode(int code) {
      for (Operation op : values()) {
        if (op.code == code) {
          return op;
        }
      }
      throw new ProtocolException("unknown storage operation " + code);
    }
  }

  public StorageRequest {
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(object, "object");
    Objects.requireNonNull(bytes, "bytes");
    if (!STORE_NAME.matcher(store).matches()) {
      throw new ProtocolException("bad sealed store name '" + abbreviate(store) + "'");
    }
    boolean needsObject = operation == Operation.READ || operation == Operation.WRITE
        || operation == Operation.DELETE;
    if (needsObject ? !OBJECT_NAME.matcher(object).matches() : !object.isEmpty()) {
      throw new ProtocolException("bad sealed object name '" + abbreviate(object) + "' for "
          + operation);
    }
    if (operation != Operation.WRITE && bytes.length != 0) {
      throw new ProtocolException(operation + " carries no content");
    }
  }

  public byte[] encode() {
    return new WireWriter(32 + bytes.length).u8(operation.code).string(store).string(object)
        .bytes(bytes).toByteArray();
  }

  /** Reads a request; {@code maxBytes} bounds the content. */
  public static StorageRequest decode(byte[] payload, int maxBytes) {
    WireReader in = new WireReader(payload);
    Operation operation = Operation.forCode(in.u8("storage operation"));
    String store = in.string(64, "store name");
    String object = in.string(64, "object name");
    byte[] bytes = in.bytes(maxBytes, "object content");
    in.expectEnd("storage request");
    return new StorageRequest(operation, store, object, bytes);
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
