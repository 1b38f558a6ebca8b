package dev.cella.enclave.sealing.internal;

import dev.cella.protocol.storage.MonotonicCounter;
import dev.cella.enclave.sealing.SealedStorageException;
import dev.cella.enclave.sealing.SealedStorageException.Reason;
import dev.cella.protocol.storage.SealedStorageHost;
import dev.cella.enclave.sealing.Sealer;
import dev.cella.enclave.sealing.UnsealException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Commits manifests and binds them to the monotonic counter, so that an old manifest is refused
 * and a crash at any point leaves a store that opens. The rules (the argument is in {@code
 * docs/sealing.md}, "Crash consistency"):
 *
 * <ul>
 *   <li><b>Commit</b> of generation {@code g = c + 1} (counter at {@code c}): check that the
 *       counter is still at {@code c} (else another instance uses the store), write the sealed
 *       manifest atomically, then increment the counter to {@code g}; only then does the write
 *       return. Manifest first, counter second: a crash in between leaves manifest {@code c + 1}
 *       with counter {@code c}, which the next open rolls forward.
 *   <li><b>Open</b> accepts a manifest of generation {@code c} or {@code c + 1}, and increments
 *       the counter for {@code c + 1}. Lower generations are rolled back, higher ones mean the
 *       counter went backwards.
 *   <li><b>Recovery</b>: a store opened at generation {@code c} may have an uncommitted
 *       generation {@code c + 1} hidden by the host (written by a session that crashed before its
 *       increment). So the first commit of such a session rewrites the current table as {@code
 *       c + 1} before committing the change as {@code c + 2}: every acknowledged write then sits
 *       at a generation that no other manifest can share.
 * </ul>
 *
 * <p>Any failure while committing makes the journal unusable: the state of the host and the
 * counter is then unknown until the store is opened again, which resolves it by the rules above.
 *
 * <p>Not thread-safe: the store calls it under its write lock.
 */
public final class ManifestJournal {
  private static final System.Logger LOG = System.getLogger(ManifestJournal.class.getName());
  static final byte[] ASSOCIATED_DATA =
      "cella-sealed-fs-v1 manifest".getBytes(StandardCharsets.US_ASCII);

  private final Sealer sealer;
  private final SealedStorageHost host;
  private final MonotonicCounter counter;
  private boolean needsRecovery;
  private IOException brokenBy;

  public ManifestJournal(Sealer sealer, SealedStorageHost host, MonotonicCounter counter) {
    this.sealer = sealer;
    this.host = host;
    this.counter = counter;
  }

  /**
   * The store's committed manifest, verified against the counter; for a new store (no manifest,
   * counter 0), {@code fresh} committed as generation 1.
   */
  public Manifest open(String storeName, Manifest fresh) throws IOException {
    long count = counter.read();
    byte[] blob = host.readOrNull(SealedStorageHost.MANIFEST_NAME);
    if (blob == null) {
      if (count != 0) {
        throw new SealedStorageException(Reason.MISSING, null, "the host has no manifest, but "
            + "the store's counter is at " + count + ": the store was deleted or is withheld", null);
      }
      return commit(fresh);
    }
    Manifest manifest = unsealManifest(blob);
    if (!manifest.storeName().equals(storeName)) {
      throw new SealedStorageException(Reason.SWAPPED, null, "it belongs to store '"
          + manifest.storeName() + "', not '" + storeName + "'", null);
    }
    long generation = manifest.generation();
    if (generation < count) {
      throw new SealedStorageException(Reason.ROLLED_BACK, null, "it is generation " + generation
          + ", but generation " + count + " was committed: the host restored an old manifest", null);
    }
    if (generation > count + 1) {
      throw new SealedStorageException(Reason.COUNTER_MISMATCH, null, "it is generation "
          + generation + ", but the counter is at " + count + ": the counter was reset or belongs"
          + " to another store", null);
    }
    if (generation == count + 1) {
      LOG.log(Level.INFO, "sealed store ''{0}'': completing the commit of generation {1} that "
          + "an earlier run left unfinished", storeName, generation);
      expectIncrementTo(generation);
      needsRecovery = false;
    } else {
      needsRecovery = true;
    }
    return manifest;
  }

  /** Commits {@code next} (any generation) as the generation after {@code current}. */
  public Manifest commit(Manifest current, Manifest next) throws IOException {
    checkUsable();
    if (needsRecovery) {
      current = commit(current);
    }
    return commit(next.withGeneration(current.generation()));
  }

  /** Whether a failed commit made this journal unusable. */
  public boolean isBroken() {
    return brokenBy != null;
  }

  /** Throws if a failed commit made this journal unusable. */
  public void checkUsable() throws IOException {
    if (brokenBy != null) {
      throw new IOException("the sealed file system must be closed and opened again: a commit "
          + "failed midway (" + brokenBy.getMessage() + ")", brokenBy);
    }
  }

  /** Writes {@code manifest} as its generation + 1 and moves the counter there. */
  private Manifest commit(Manifest manifest) throws IOException {
    Manifest committed = manifest.withGeneration(manifest.generation() + 1);
    byte[] plaintext = committed.encode();
    byte[] blob = sealer.seal(plaintext, ASSOCIATED_DATA);
    Arrays.fill(plaintext, (byte) 0);
    try {
      long count = counter.read();
      if (count != manifest.generation()) {
        throw mismatch("the counter is at " + count + ", this store expects "
            + manifest.generation() + ": another instance uses this store or its counter");
      }
      host.writeAtomically(SealedStorageHost.MANIFEST_NAME, blob);
      expectIncrementTo(committed.generation());
    } catch (IOException e) {
      brokenBy = e;
      throw e;
    } catch (RuntimeException e) {
      brokenBy = new IOException("the host or counter failed: " + e, e);
      throw brokenBy;
    }
    needsRecovery = false;
    return committed;
  }

  private void expectIncrementTo(long generation) throws IOException {
    long value = counter.increment();
    if (value != generation) {
      throw mismatch("the counter moved to " + value + " instead of " + generation
          + ": another instance uses this store or its counter");
    }
  }

  private SealedStorageException mismatch(String message) {
    SealedStorageException e =
        new SealedStorageException(Reason.COUNTER_MISMATCH, null, message, null);
    brokenBy = e;
    return e;
  }

  private Manifest unsealManifest(byte[] blob) throws SealedStorageException {
    byte[] plaintext;
    try {
      plaintext = sealer.unseal(blob, ASSOCIATED_DATA);
    } catch (UnsealException e) {
      throw new SealedStorageException(FileObjects.fromUnseal(e.reason()), null, e.getMessage(), e);
    }
    try {
      return Manifest.decode(plaintext);
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }
}
