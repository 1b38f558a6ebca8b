package dev.cella.enclave.sealing.internal;

import java.io.IOException;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The basic attributes of a sealed file, from its manifest entry: size, kind, creation and
 * modification time. The last access time is not tracked and reads as the modification time;
 * {@code fileKey} is null. Immutable and thread-safe.
 */
record SealedAttributes(Entry entry) implements BasicFileAttributes {
  private static final String[] NAMES = {"lastModifiedTime", "lastAccessTime", "creationTime",
      "size", "isRegularFile", "isDirectory", "isSymbolicLink", "isOther", "fileKey"};

  @Override
  public FileTime lastModifiedTime() {
    return FileTime.from(entry.modifiedNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public FileTime lastAccessTime() {
    return lastModifiedTime();
  }

  @Override
  public FileTime creationTime() {
    return FileTime.from(entry.createdNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public boolean isRegularFile() {
    return !entry.directory();
  }

  @Override
  public boolean isDirectory() {
    return entry.directory();
  }

  @Override
  public boolean isSymbolicLink() {
    return false;
  }

  @Override
  public boolean isOther() {
    return false;
  }

  @Override
  public long size() {
    return entry.size();
  }

  @Override
  public Object fileKey() {
    return null;
  }

  /**
   * The attributes named by {@code spec} ({@code [basic:]name,name...} or {@code *}), as {@link
   * java.nio.file.Files#readAttributes(java.nio.file.Path, String, java.nio.file.LinkOption...)}
   * returns them.
   */
  Map<String, Object> toMap(String spec) {
    String names = spec;
    int colon = spec.indexOf(':');
    if (colon >= 0) {
      String view = spec.substring(0, colon);
      if (!view.equals("basic")) {
        throw new UnsupportedOperationException(
            "attribute view '" + view + "' is not supported; sealed files have 'basic' only");
      }
      names = spec.substring(colon + 1);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (String name : names.split(",")) {
      if (name.equals("*")) {
        for (String each : NAMES) {
          out.put(each, value(each));
        }
      } else {
        out.put(name, value(name));
      }
    }
    return out;
  }

  private Object value(String name) {
    return switch (name) {
      case "lastModifiedTime" -> lastModifiedTime();
      case "lastAccessTime" -> lastAccessTime();
      case "creationTime" -> creationTime();
      case "size" -> size();
      case "isRegularFile" -> isRegularFile();
      case "isDirectory" -> isDirectory();
      case "isSymbolicLink" -> isSymbolicLink();
      case "isOther" -> isOther();
      case "fileKey" -> fileKey();
      default -> throw new IllegalArgumentException("'" + name + "' is not a basic attribute");
    };
  }

  /** The basic view of one path; setting times commits a new manifest. */
  record View(SealedPath path) implements BasicFileAttributeView {
    @Override
    public String name() {
      return "basic";
    }

    @Override
    public BasicFileAttributes readAttributes() throws IOException {
      return SealedFileSystemProvider.attributes(path);
    }

    /** Sets the modification and creation times; the access time is not kept and is ignored. */
    @Override
    public void setTimes(FileTime lastModifiedTime, FileTime lastAccessTime, FileTime createTime)
        throws IOException {
      if (lastModifiedTime == null && createTime == null) {
        SealedFileSystemProvider.attributes(path);
        return;
      }
      path.getFileSystem().store().setTimes(path.storeKey(), nanos(lastModifiedTime),
          nanos(createTime));
    }

    private static Long nanos(FileTime time) {
      return time == null ? null : time.to(TimeUnit.NANOSECONDS);
    }
  }
}
