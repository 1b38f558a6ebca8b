package dev.cella.attestation.platform.internal;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.PlatformKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The files of one software platform directory, with owner-only permissions (directory 0700,
 * files 0600, checked on every read) and safe concurrent use: every change happens under an
 * exclusive lock (a JVM-wide lock per directory plus a {@link java.nio.channels.FileLock} on
 * {@code .lock} against other JVMs), and every file is written to a temporary file, forced to
 * disk and atomically moved into place. {@code platform.properties} is written last: a directory
 * without it was interrupted during creation and holds nothing that was ever used.
 *
 * <p>Thread-safe.
 */
public final class PlatformStore {
  static final String MARKER = "platform.properties";
  static final String ROOT_CERTIFICATE = "root.crt";
  static final String ROOT_KEY = "root.key";
  static final String ATTESTATION = "attestation.pem";
  static final String SEALING_ROOT = "sealing-root.bin";
  static final String LOCK = ".lock";
  private static final List<String> CONTENT =
      List.of(MARKER, ROOT_CERTIFICATE, ROOT_KEY, ATTESTATION, SEALING_ROOT);
  private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> NOT_OWNER = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
  private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

  /** Work done under the directory's lock. */
  public interface Action<T> {
    T run() throws IOException, GeneralSecurityException;
  }

  private final Path dir;
  private final PlatformKind kind;
  private final boolean posix;

  public PlatformStore(Path dir, PlatformKind kind) {
    this.dir = dir.toAbsolutePath().normalize();
    this.kind = kind;
    this.posix = this.dir.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  /** The directory. */
  public Path directory() {
    return dir;
  }

  /** Whether permissions are enforced (the file system is POSIX). */
  public boolean enforcesPermissions() {
    return posix;
  }

  /** Runs {@code action} holding the directory's exclusive lock, creating the directory first. */
  public <T> T locked(Action<T> action) throws IOException, GeneralSecurityException {
    createDirectory();
    Path lockFile = dir.resolve(LOCK);
    ReentrantLock jvmLock = JVM_LOCKS.computeIfAbsent(dir.toRealPath(), p -> new ReentrantLock());
    jvmLock.lock();
    try (FileChannel channel = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE,
        StandardOpenOption.WRITE), fileAttributes())) {
      FileLock fileLock = channel.lock(); // released when the channel closes
      if (!fileLock.isValid()) {
        throw new IOException("cannot lock " + lockFile);
      }
      checkDirectory(lockFile);
      return action.run();
    } finally {
      jvmLock.unlock();
    }
  }

  /** Whether creation completed (the marker exists). Call under the lock. */
  public boolean isComplete() {
    return Files.exists(dir.resolve(MARKER));
  }

  /** Removes what an interrupted creation left. Call under the lock, only when incomplete. */
  public void removeIncomplete() throws IOException {
    if (isComplete()) {
      throw new IllegalStateException("refusing to remove a complete platform");
    }
    for (String name : CONTENT) {
      Files.deleteIfExists(dir.resolve(name));
    }
    try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, ".tmp-*.part")) {
      for (Path temp : temps) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /** Writes the marker, completing creation. */
  public void writeMarker() throws IOException {
    write(MARKER, ("format=1\nkind=" + kind.id() + "\n").getBytes(StandardCharsets.US_ASCII));
  }

  /** Checks the marker names this store's kind. */
  public void checkMarker() throws IOException {
    String text = new String(read(MARKER), StandardCharsets.US_ASCII);
    if (!text.contains("\nkind=" + kind.id() + "\n") || !text.startsWith("format=1\n")) {
      throw new EnclaveException(Code.FAILED_PRECONDITION, dir + " is not a " + kind.id()
          + " platform directory (its " + MARKER + " says: " + text.strip().replace('\n', ' ') + ")");
    }
  }

  public void writeRoot(X509Certificate certificate, PrivateKey key)
      throws IOException, GeneralSecurityException {
    byte[] keyPem = Pem.privateKey(key);
    try {
      write(ROOT_KEY, keyPem);
    } finally {
      Arrays.fill(keyPem, (byte) 0);
    }
    write(ROOT_CERTIFICATE, Pem.certificate(certificate));
  }

  public X509Certificate readRootCertificate() throws IOException {
    try {
      return Pem.readCertificate(read(ROOT_CERTIFICATE));
    } catch (GeneralSecurityException e) {
      throw damaged(ROOT_CERTIFICATE, e);
    }
  }

  public PrivateKey readRootKey() throws IOException {
    byte[] pem = read(ROOT_KEY);
    try {
      return Pem.readPrivateKey(pem);
    } catch (GeneralSecurityException e) {
      throw damaged(ROOT_KEY, e);
    } finally {
      Arrays.fill(pem, (byte) 0);
    }
  }

  /** Writes key and certificate in one file, so that they are replaced together. */
  public void writeAttestation(AttestationKey key) throws IOException, GeneralSecurityException {
    byte[] keyPem = Pem.privateKey(key.privateKey());
    byte[] certificatePem = Pem.certificate(key.certificate());
    byte[] both = new byte[keyPem.length + certificatePem.length];
    System.arraycopy(keyPem, 0, both, 0, keyPem.length);
    System.arraycopy(certificatePem, 0, both, keyPem.length, certificatePem.length);
    try {
      write(ATTESTATION, both);
    } finally {
      Arrays.fill(keyPem, (byte) 0);
      Arrays.fill(both, (byte) 0);
    }
  }

  public AttestationKey readAttestation() throws IOException {
    byte[] pem = read(ATTESTATION);
    try {
      return new AttestationKey(Pem.readPrivateKey(pem), Pem.readCertificate(pem));
    } catch (GeneralSecurityException e) {
      throw damaged(ATTESTATION, e);
    } finally {
      Arrays.fill(pem, (byte) 0);
    }
  }

  /** The failure for a file that exists but cannot be used. */
  public EnclaveException damaged(String name, Exception cause) {
    return new EnclaveException(Code.DATA_LOSS, "platform file " + dir.resolve(name)
        + " is damaged (" + cause.getMessage() + "); the platform cannot be used", cause);
  }

  /** Writes the sealing root; the caller wipes {@code secret}. */
  public void writeSealingRoot(byte[] secret) throws IOException {
    write(SEALING_ROOT, secret);
  }

  public SealingRoot readSealingRoot() throws IOException {
    byte[] secret = read(SEALING_ROOT);
    if (secret.length != SealingRoot.LENGTH) {
      Arrays.fill(secret, (byte) 0);
      throw new EnclaveException(Code.DATA_LOSS, dir.resolve(SEALING_ROOT) + " has "
          + secret.length + " bytes, not " + SealingRoot.LENGTH + ": the platform is damaged");
    }
    return new SealingRoot(secret);
  }

  private void createDirectory() throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    try {
      if (posix) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
      } else {
        Files.createDirectories(dir);
      }
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir)) {
        throw e;
      }
    }
  }

  private void checkDirectory(Path lockFile) throws IOException {
    if (!posix) {
      return;
    }
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir);
    if (permissions.stream().anyMatch(NOT_OWNER::contains)) {
      throw new EnclaveException(Code.FAILED_PRECONDITION, "platform directory " + dir
          + " is accessible by others (" + PosixFilePermissions.toString(permissions)
          + "); run: chmod 700 " + dir);
    }
    UserPrincipal us = Files.getOwner(lockFile);
    if (!Files.getOwner(dir).equals(us)) {
      throw new EnclaveException(Code.FAILED_PRECONDITION,
          "platform directory " + dir + " belongs to " + Files.getOwner(dir) + ", not " + us);
    }
  }

  private byte[] read(String name) throws IOException {
    Path file = dir.resolve(name);
    try {
      if (posix) {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        if (permissions.stream().anyMatch(NOT_OWNER::contains)) {
          throw new EnclaveException(Code.FAILED_PRECONDITION, "platform file " + file
              + " is accessible by others (" + PosixFilePermissions.toString(permissions)
              + "); run: chmod 600 " + file);
        }
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new EnclaveException(Code.DATA_LOSS,
          "platform file " + file + " is missing: the platform directory is damaged", e);
    }
  }

  private void write(String name, byte[] content) throws IOException {
    Path temp = Files.createTempFile(dir, ".tmp-", ".part", fileAttributes());
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.move(temp, dir.resolve(name),
          StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      forceDirectory();
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private void forceDirectory() {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Not every platform can sync a directory; the rename itself is still atomic.
    }
  }

  private FileAttribute<?>[] fileAttributes() {
    return posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_FILE)}
        : new FileAttribute<?>[0];
  }
}
