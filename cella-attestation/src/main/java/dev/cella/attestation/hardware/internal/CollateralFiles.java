package dev.cella.attestation.hardware.internal;

import dev.cella.attestation.AttestationException;
import dev.cella.attestation.AttestationException.Reason;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a collateral folder: every regular file directly in it, in name order, bounded in count
 * and size. What each file is gets decided later, from its content.
 *
 * <p>Stateless and thread-safe.
 */
public final class CollateralFiles {
  /** Files larger than this cannot be collateral (the largest real ones are a few hundred KiB). */
  public static final long MAX_FILE_BYTES = 4L << 20;
  /** A folder with more files than this is refused rather than read. */
  public static final int MAX_FILES = 512;

  private CollateralFiles() {}

  /** One file: its name (for messages only) and its bytes. */
  public record CollateralFile(String name, byte[] content) {}

  /** The files of {@code dir}, or none if there is no folder. */
  public static List<CollateralFile> read(Optional<Path> dir) throws AttestationException {
    if (dir.isEmpty()) {
      return List.of();
    }
    Path folder = dir.get();
    if (!Files.isDirectory(folder)) {
      throw new AttestationException(Reason.MISSING_COLLATERAL,
          "collateral folder " + folder + " does not exist or is not a folder");
    }
    List<Path> paths = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder)) {
      for (Path p : stream) {
        if (Files.isRegularFile(p)) {
          paths.add(p);
          if (paths.size() > MAX_FILES) {
            throw new AttestationException(Reason.MISSING_COLLATERAL, "collateral folder "
                + folder + " has more than " + MAX_FILES + " files");
          }
        }
      }
      paths.sort(null);
      List<CollateralFile> files = new ArrayList<>();
      for (Path p : paths) {
        if (Files.size(p) > MAX_FILE_BYTES) {
          continue;
        }
        files.add(new CollateralFile(p.getFileName().toString(), Files.readAllBytes(p)));
      }
      return files;
    } catch (IOException e) {
      throw new AttestationException(Reason.MISSING_COLLATERAL,
          "cannot read collateral folder " + folder + ": " + e.getMessage(), e);
    }
  }
}
