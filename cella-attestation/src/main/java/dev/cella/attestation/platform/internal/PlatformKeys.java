package dev.cella.attestation.platform.internal;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.PlatformKind;
import dev.cella.attestation.cose.internal.Es384;
import dev.cella.attestation.internal.PlatformCertificates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * Creates, loads and renews a software platform's keys in its {@link PlatformStore}, always under
 * the store's lock and always re-reading what is on disk, so that concurrent first uses (threads
 * or JVMs) end with one root, one sealing root and one current attestation key.
 *
 * <p>Lifetimes: the root lives {@link #ROOT_LIFETIME}; an attestation certificate {@link
 * #LEAF_LIFETIME} (never beyond the root), re-issued with a fresh key when less than {@link
 * #RENEW_BEFORE} remains. Both start {@link #BACKDATE} before their creation, to tolerate
 * verifiers whose clocks are a little behind.
 *
 * <p>Thread-safe (stateless).
 */
public final class PlatformKeys {
  public static final Duration ROOT_LIFETIME = Duration.ofDays(3650);
  public static final Duration LEAF_LIFETIME = Duration.ofDays(90);
  public static final Duration RENEW_BEFORE = Duration.ofDays(30);
  public static final Duration BACKDATE = Duration.ofHours(1);
  private static final SecureRandom RANDOM = new SecureRandom();

  private PlatformKeys() {}

  /** What an opened platform holds in memory. Holds secrets: no {@code toString}. Immutable. */
  public static final class Loaded {
    private final X509Certificate root;
    private final AttestationKey attestation;
    private final SealingRoot sealingRoot;

    Loaded(X509Certificate root, AttestationKey attestation, SealingRoot sealingRoot) {
      this.root = root;
      this.attestation = attestation;
      this.sealingRoot = sealingRoot;
    }

    public X509Certificate root() {
      return root;
    }

    public AttestationKey attestation() {
      return attestation;
    }

    public SealingRoot sealingRoot() {
      return sealingRoot;
    }
  }

  /** Opens the platform in {@code store}, creating it on first use. */
  public static Loaded openOrCreate(PlatformStore store, PlatformKind kind, Instant now) {
    return io(store, () -> store.locked(() -> {
      if (!store.isComplete()) {
        store.removeIncomplete();
        create(store, kind, now);
      }
      store.checkMarker();
      X509Certificate root = store.readRootCertificate();
      if (PlatformCertificates.rootKindOf(root).orElse(null) != kind) {
        throw store.damaged(PlatformStore.ROOT_CERTIFICATE, new IllegalStateException(
            "subject '" + root.getSubjectX500Principal().getName() + "' is not the " + kind.id()
                + " platform root's"));
      }
      AttestationKey attestation = checked(store, store.readAttestation(), root);
      if (attestation.needsRenewal(now, RENEW_BEFORE)) {
        attestation = issue(store, kind, root, now);
      }
      return new Loaded(root, attestation, store.readSealingRoot());
    }));
  }

  /** The current attestation key, re-issued first if it is due (another JVM may have done so). */
  public static AttestationKey renewIfDue(
      PlatformStore store, PlatformKind kind, X509Certificate root, Instant now) {
    return io(store, () -> store.locked(() -> {
      AttestationKey current = checked(store, store.readAttestation(), root);
      return current.needsRenewal(now, RENEW_BEFORE) ? issue(store, kind, root, now) : current;
    }));
  }

  private static void create(PlatformStore store, PlatformKind kind, Instant now)
      throws IOException, GeneralSecurityException {
    byte[] sealingRoot = new byte[SealingRoot.LENGTH];
    RANDOM.nextBytes(sealingRoot);
    try {
      store.writeSealingRoot(sealingRoot);
    } finally {
      Arrays.fill(sealingRoot, (byte) 0);
    }
    KeyPair rootPair = CertificateIssuer.newKeyPair();
    X509Certificate root = CertificateIssuer.root(
        kind, rootPair, now.minus(BACKDATE), now.plus(ROOT_LIFETIME));
    store.writeRoot(root, rootPair.getPrivate());
    store.writeAttestation(newAttestation(kind, root, rootPair.getPrivate(), now));
    store.writeMarker();
  }

  private static AttestationKey issue(
      PlatformStore store, PlatformKind kind, X509Certificate root, Instant now)
      throws IOException, GeneralSecurityException {
    if (!root.getNotAfter().toInstant().isAfter(now.plus(BACKDATE))) {
      throw new EnclaveException(Code.FAILED_PRECONDITION, "the " + kind.id()
          + " platform root in " + store.directory() + " expired at "
          + root.getNotAfter().toInstant() + "; a new platform needs a new directory");
    }
    PrivateKey rootKey = store.readRootKey();
    if (!matches(rootKey, root.getPublicKey())) {
      throw store.damaged(PlatformStore.ROOT_KEY,
          new IllegalStateException("the key does not belong to root.crt"));
    }
    AttestationKey fresh = newAttestation(kind, root, rootKey, now);
    store.writeAttestation(fresh);
    return fresh;
  }

  private static AttestationKey newAttestation(
      PlatformKind kind, X509Certificate root, PrivateKey rootKey, Instant now)
      throws GeneralSecurityException {
    KeyPair pair = CertificateIssuer.newKeyPair();
    Instant notAfter = now.plus(LEAF_LIFETIME);
    if (notAfter.isAfter(root.getNotAfter().toInstant())) {
      notAfter = root.getNotAfter().toInstant();
    }
    X509Certificate certificate = CertificateIssuer.attestation(
        kind, pair.getPublic(), root, rootKey, now.minus(BACKDATE), notAfter);
    return new AttestationKey(pair.getPrivate(), certificate);
  }

  private static AttestationKey checked(
      PlatformStore store, AttestationKey key, X509Certificate root) {
    try {
      key.certificate().verify(root.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw store.damaged(PlatformStore.ATTESTATION, e);
    }
    if (!matches(key.privateKey(), key.certificate().getPublicKey())) {
      throw store.damaged(PlatformStore.ATTESTATION,
          new IllegalStateException("the key does not belong to the certificate"));
    }
    return key;
  }

  private static boolean matches(PrivateKey privateKey, PublicKey publicKey) {
    byte[] probe = "cella platform key check".getBytes(StandardCharsets.US_ASCII);
    try {
      return Es384.verify(publicKey, probe, Es384.sign(privateKey, probe));
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static <T> T io(PlatformStore store, PlatformStore.Action<T> action) {
    try {
      return action.run();
    } catch (IOException e) {
      throw new EnclaveException(Code.UNAVAILABLE,
          "cannot use platform directory " + store.directory() + ": " + e, e);
    } catch (GeneralSecurityException e) {
      throw new EnclaveException(Code.INTERNAL,
          "cannot make platform keys in " + store.directory() + ": " + e.getMessage(), e);
    }
  }
}
