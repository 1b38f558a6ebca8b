package dev.cella.enclave.sealing.internal;

import dev.cella.Bytes;
import java.util.Objects;

/**
 * One row of the sealed file table: a directory, or a regular file with the object that holds
 * its current version. Times are nanoseconds since the epoch, from the enclave's clock (which on
 * most backends the host controls: informational, not evidence).
 *
 * @param directory whether this is a directory (then the file fields are 0 / empty)
 * @param createdNanos creation time
 * @param modifiedNanos last modification time
 * @param fileId random id given at creation; kept across moves, bound into every object
 * @param version 1 for the first content, one more for each write
 * @param size plaintext length in bytes
 * @param objectName the 16 bytes whose hex is the host object's name
 * @param tag the object's GCM tag, which pins the exact object the manifest commits
 */
public record Entry(
    boolean directory, long createdNanos, long modifiedNanos, long fileId, long version, long size,
    Bytes objectName, Bytes tag) {
  public static final int OBJECT_NAME_LENGTH = 16;
  public static final int TAG_LENGTH = 16;

  public Entry {
    Objects.requireNonNull(objectName, "objectName");
    Objects.requireNonNull(tag, "tag");
    if (!directory && (objectName.length() != OBJECT_NAME_LENGTH || tag.length() != TAG_LENGTH
        || version < 1 || size < 0)) {
      throw new IllegalArgumentException("inconsistent file entry");
    }
  }

  /** A directory created (and modified) at {@code nanos}. */
  public static Entry newDirectory(long nanos) {
    return new Entry(true, nanos, nanos, 0, 0, 0, Bytes.empty(), Bytes.empty());
  }

  /** This entry with other times. */
  public Entry withTimes(long created, long modified) {
    return new Entry(directory, created, modified, fileId, version, size, objectName, tag);
  }

  /** The host's name for this file's object. */
  public String objectNameHex() {
    return objectName.hex();
  }
}
