package dev.cella.attestation.ratls;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The current RA-TLS credential of an enclave, re-made before it expires: a certificate is valid
 * for {@link #DEFAULT_VALIDITY} and replaced by a fresh key, fresh evidence and a new certificate
 * once less than a quarter of its validity remains. The {@link #keyManager() key manager} asks for
 * the current credential at every handshake, so a long-running server never presents an expired
 * certificate.
 *
 * <pre>{@code
 * RaTlsCertificateProvider provider = RaTlsCertificateProvider.create(context);
 * SSLContext tls = SSLContext.getInstance("TLSv1.3");
 * tls.init(new KeyManager[] {provider.keyManager()}, new TrustManager[] {trustManager}, null);
 * }</pre>
 *
 * <p>Thread-safe: renewal happens under a lock, once, while other handshakes wait for it.
 */
public final class RaTlsCertificateProvider {
  /** How long a certificate is valid. */
  public static final Duration DEFAULT_VALIDITY = Duration.ofHours(1);

  private final EvidenceSource source;
  private final Duration validity;
  private final Duration renewBefore;
  private final Clock clock;
  private final RaTlsKeyManager keyManager;
  private volatile RaTlsCredential current;
  private volatile RaTlsCredential previous;

  private RaTlsCertificateProvider(Builder b) {
    this.source = b.source;
    this.validity = b.validity;
    this.renewBefore = b.renewBefore != null ? b.renewBefore : b.validity.dividedBy(4);
    this.clock = b.clock;
    this.keyManager = new RaTlsKeyManager(this);
  }

  /** A provider with the default validity, renewing with a quarter of it left, on the UTC clock. */
  public static RaTlsCertificateProvider create(EvidenceSource source) {
    return builder(source).build();
  }

  /** A builder for a provider whose evidence comes from {@code source}. */
  public static Builder builder(EvidenceSource source) {
    return new Builder(source);
  }

  /**
   * The credential to present now: the last one made, or a new one when none exists yet or the
   * last one expires within the renewal margin.
   *
   * @throws EnclaveException the platform's failure to give evidence, or {@code INTERNAL} if the
   *     certificate cannot be made
   */
  public RaTlsCredential current() {
    RaTlsCredential now = current;
    Instant at = clock.instant();
    if (now != null && at.plus(renewBefore).isBefore(now.notAfter())) {
      return now;
    }
    synchronized (this) {
      now = current;
      if (now != null && at.plus(renewBefore).isBefore(now.notAfter())) {
        return now;
      }
      RaTlsCredential made;
      try {
        made = RaTlsCertificates.create(source, at, validity);
      } catch (GeneralSecurityException e) {
        throw new EnclaveException(Code.INTERNAL,
            "cannot make an RA-TLS certificate: " + e.getMessage(), e);
      }
      previous = now;
      current = made;
      return made;
    }
  }

  /** The key manager that presents {@link #current()} at each handshake. */
  public RaTlsKeyManager keyManager() {
    return keyManager;
  }

  /** The current or previous credential named {@code alias}, or null. */
  RaTlsCredential byAliasOrNull(String alias) {
    RaTlsCredential c = current;
    if (c != null && c.alias().equals(alias)) {
      return c;
    }
    RaTlsCredential p = previous;
    return p != null && p.alias().equals(alias) ? p : null;
  }

  /** Builds a provider; validates each setting at once. Not thread-safe. */
  public static final class Builder {
    private final EvidenceSource source;
    private Duration validity = DEFAULT_VALIDITY;
    private Duration renewBefore;
    private Clock clock = Clock.systemUTC();

    private Builder(EvidenceSource source) {
      this.source = Objects.requireNonNull(source, "source");
    }

    /** How long each certificate is valid: 1 minute to 30 days. */
    public Builder validity(Duration validity) {
      if (validity.compareTo(Duration.ofMinutes(1)) < 0
          || validity.compareTo(Duration.ofDays(30)) > 0) {
        throw new IllegalArgumentException("validity must be 1 minute to 30 days, got " + validity);
      }
      this.validity = validity;
      return this;
    }

    /** How long before expiry a certificate is replaced (default: a quarter of the validity). */
    public Builder renewBefore(Duration margin) {
      if (margin.isNegative()) {
        throw new IllegalArgumentException("the renewal margin must not be negative: " + margin);
      }
      this.renewBefore = margin;
      return this;
    }

    /** The clock that dates certificates and decides renewal. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The provider; refuses a renewal margin not shorter than the validity. */
    public RaTlsCertificateProvider build() {
      if (renewBefore != null && renewBefore.compareTo(validity) >= 0) {
        throw new IllegalArgumentException("the renewal margin " + renewBefore
            + " must be shorter than the validity " + validity);
      }
      return new RaTlsCertificateProvider(this);
    }
  }
}
