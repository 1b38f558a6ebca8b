package dev.cella.backend.process;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The files outside the JDK that the JDK's launcher needs to start: the program interpreter
 * named in the {@code java} binary (the dynamic loader) and the shared libraries this very JVM
 * has mapped from outside its home (the C library and its companions), with the links the loader
 * finds them by. The child runs the same JDK, so it needs the same files.
 *
 * <p>Thread-safe; stateless.
 */
final class SystemLibraries {
  private static final int PT_INTERP = 3;

  private SystemLibraries() {}

  /** The paths to show in the sandbox, besides the JDK itself. */
  static List<Path> of(Path javaHome, Path javaBinary) throws IOException {
    Set<Path> paths = new LinkedHashSet<>();
    Path interpreter = interpreter(javaBinary);
    if (interpreter != null) {
      paths.add(interpreter);
    }
    Path realHome = javaHome.toRealPath();
    for (Path library : mappedLibraries()) {
      if (library.startsWith(realHome) || !Files.isRegularFile(library)) {
        continue;
      }
      paths.add(library);
      paths.addAll(linksTo(library));
    }
    return List.copyOf(paths);
  }

  /** The files this process has mapped whose names look like shared libraries. */
  private static Set<Path> mappedLibraries() throws IOException {
    Set<Path> libraries = new LinkedHashSet<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/maps"), StandardCharsets.UTF_8)) {
      int slash = line.indexOf('/');
      if (slash < 0) {
        continue;
      }
      String file = line.substring(slash);
      String name = file.substring(file.lastIndexOf('/') + 1);
      if (name.endsWith(".so") || name.contains(".so.")) {
        libraries.add(Path.of(file));
      }
    }
    return libraries;
  }

  /** The links beside {@code library} that lead to it (its soname, when the file has another name). */
  private static List<Path> linksTo(Path library) throws IOException {
    List<Path> links = new ArrayList<>();
    Path real = library.toRealPath();
    try (Stream<Path> siblings = Files.list(library.getParent())) {
      for (Path sibling : siblings.filter(Files::isSymbolicLink).toList()) {
        try {
          if (sibling.toRealPath().equals(real)) {
            links.add(sibling);
          }
        } catch (IOException dangling) {
          // Not a link to anything.
        }
      }
    }
    return links;
  }

  /** The program interpreter (PT_INTERP) of an ELF64 binary, or null when it has none. */
  static Path interpreter(Path binary) throws IOException {
    try (FileChannel file = FileChannel.open(binary, StandardOpenOption.READ)) {
      ByteBuffer header = ByteBuffer.allocate(64);
      if (file.read(header, 0) < 64) {
        return null;
      }
      header.flip();
      if (header.getInt(0) != 0x7F454C46 || header.get(4) != 2) {
        return null; // not ELF, or not 64-bit
      }
      header.order(header.get(5) == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
      long programHeaders = header.getLong(32);
      int entrySize = Short.toUnsignedInt(header.getShort(54));
      int entries = Short.toUnsignedInt(header.getShort(56));
      if (entrySize < 56 || entries > 256) {
        return null;
      }
      ByteBuffer entry = ByteBuffer.allocate(entrySize).order(header.order());
      for (int i = 0; i < entries; i++) {
        entry.clear();
        if (file.read(entry, programHeaders + (long) i * entrySize) < entrySize) {
          return null;
        }
        if (entry.getInt(0) == PT_INTERP) {
          long offset = entry.getLong(8);
          long size = entry.getLong(32);
          if (size < 2 || size > 4096) {
            return null;
          }
          ByteBuffer name = ByteBuffer.allocate((int) size);
          file.read(name, offset);
          String path = new String(name.array(), 0, (int) size - 1, StandardCharsets.UTF_8);
          return path.startsWith("/") ? Path.of(path) : null;
        }
      }
      return null;
    }
  }
}
