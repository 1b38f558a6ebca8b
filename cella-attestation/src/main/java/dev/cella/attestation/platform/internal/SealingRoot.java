package dev.cella.attestation.platform.internal;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import javax.crypto.KDF;
import javax.crypto.spec.HKDFParameterSpec;

/**
 * A software platform's 32-byte sealing root secret. It never leaves this object except as
 * derived seeds ({@link #deriveSeed}) or, once, when the platform store writes it at creation.
 * No {@code equals}, {@code hashCode} or {@code toString}; {@link #close()} wipes it.
 *
 * <p>Thread-safe: derivations run concurrently; {@code close} waits for them.
 */
public final class SealingRoot implements AutoCloseable {
  /** Length of the sealing root and of every derived seed, in bytes. */
  public static final int LENGTH = 32;

  private final byte[] secret;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  /** Takes ownership of {@code secret} (not copied; wiped on close). */
  SealingRoot(byte[] secret) {
    if (secret.length != LENGTH) {
      Arrays.fill(secret, (byte) 0);
      throw new IllegalArgumentException("a sealing root has " + LENGTH + " bytes");
    }
    this.secret = secret;
  }

  /**
   * HKDF-SHA384 (RFC 5869; salt empty, IKM = the sealing root) expanded with {@code info} to 32
   * bytes. The caller owns and wipes the result.
   */
  public byte[] deriveSeed(byte[] info) {
    lock.readLock().lock();
    try {
      if (closed) {
        throw new EnclaveException(Code.FAILED_PRECONDITION, "the platform is closed");
      }
      return KDF.getInstance("HKDF-SHA384").deriveData(
          HKDFParameterSpec.ofExtract().addIKM(secret).thenExpand(info, LENGTH));
    } catch (GeneralSecurityException e) {
      throw new EnclaveException(Code.INTERNAL, "HKDF-SHA384 failed: " + e.getMessage(), e);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Wipes the secret; later derivations fail. Idempotent. */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      Arrays.fill(secret, (byte) 0);
      closed = true;
    } finally {
      lock.writeLock().unlock();
    }
  }
}
