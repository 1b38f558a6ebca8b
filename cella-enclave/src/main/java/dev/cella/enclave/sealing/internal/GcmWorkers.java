package dev.cella.enclave.sealing.internal;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Cipher;

/**
 * A small pool of AES-GCM {@link Cipher}s with buffered nonce randomness, so that sealing a small
 * blob costs one cipher {@code init} and {@code doFinal}, not a provider lookup ({@code
 * Cipher.getInstance} costs more than sealing 4 KiB) and a {@link SecureRandom} call per blob. A
 * pool rather than a {@code ThreadLocal} so that virtual threads share workers too.
 *
 * <p>Thread-safe; each {@link Worker} is used by one thread between {@link #take} and {@link
 * #give}.
 */
public final class GcmWorkers {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int NONCES_PER_REFILL = 64;
  private static final int MAX_IDLE = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

  private final ConcurrentLinkedQueue<Worker> idle = new ConcurrentLinkedQueue<>();
  private final AtomicInteger idleCount = new AtomicInteger();
  private volatile boolean closed;

  /** One cipher and a buffer of random bytes for nonces. */
  public static final class Worker {
    private final Cipher cipher;
    private final byte[] random = new byte[BlobFormat.NONCE_LENGTH * NONCES_PER_REFILL];
    private int position = random.length;

    private Worker() {
      try {
        cipher = Cipher.getInstance("AES/GCM/NoPadding");
      } catch (GeneralSecurityException e) {
        throw new EnclaveException(Code.INTERNAL, "this JDK has no AES/GCM/NoPadding cipher", e);
      }
    }

    /** The cipher; the caller initializes it for every use. */
    public Cipher cipher() {
      return cipher;
    }

    /** Writes 12 fresh random bytes (never handed out before) into {@code out} at {@code offset}. */
    public void nextNonce(byte[] out, int offset) {
      if (position == random.length) {
        RANDOM.nextBytes(random);
        position = 0;
      }
      System.arraycopy(random, position, out, offset, BlobFormat.NONCE_LENGTH);
      position += BlobFormat.NONCE_LENGTH;
    }
  }

  /** An idle worker, or a new one. */
  public Worker take() {
    Worker worker = idle.poll();
    if (worker != null) {
      idleCount.decrementAndGet();
      return worker;
    }
    return new Worker();
  }

  /** Returns a worker after use; dropped when the pool is full or closed. */
  public void give(Worker worker) {
    if (closed) {
      return;
    }
    if (idleCount.incrementAndGet() <= MAX_IDLE) {
      idle.offer(worker);
    } else {
      idleCount.decrementAndGet();
    }
  }

  /** Drops every idle worker (their ciphers hold expanded keys) and refuses returns. */
  public void close() {
    closed = true;
    idle.clear();
    idleCount.set(0);
  }
}
