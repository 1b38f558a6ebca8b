package dev.cella.enclave.internal.channel;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.attestation.AttestationPolicy;
import dev.cella.attestation.AttestationVerifier;
import dev.cella.attestation.VerifiedEnclave;
import dev.cella.attestation.ratls.EvidenceSource;
import dev.cella.attestation.ratls.RaTlsCertificateException;
import dev.cella.attestation.ratls.RaTlsCertificateProvider;
import dev.cella.attestation.ratls.RaTlsTrustManager;
import dev.cella.enclave.EnclaveChannel;
import dev.cella.protocol.ChannelMessages;
import dev.cella.protocol.FrameType;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BiFunction;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;

/**
 * Opens enclave channels: asks the host for a channel end (connect or accept), then runs mutual
 * RA-TLS over it with this enclave's certificate and a trust manager for the caller's policy.
 * A refusal by this side's trust manager surfaces as the {@link RaTlsCertificateException}; a
 * refusal by the peer (a TLS alert) as {@code PERMISSION_DENIED}.
 *
 * <p>Thread-safe.
 */
public final class Channels {
  private final ChannelHub hub;
  private final BiFunction<FrameType, byte[], byte[]> host;
  private final RaTlsCertificateProvider certificates;
  private volatile AttestationVerifier verifier;

  /**
   * @param host sends a request frame of a type with a payload to the host, returns the OK
   *     payload or throws the host's error
   * @param self this enclave's evidence, for its RA-TLS certificates
   */
  public Channels(ChannelHub hub, BiFunction<FrameType, byte[], byte[]> host,
      EvidenceSource self) {
    this.hub = hub;
    this.host = host;
    this.certificates = RaTlsCertificateProvider.create(self);
  }

  public EnclaveChannel connect(String peerName, AttestationPolicy policy, Duration timeout)
      throws RaTlsCertificateException {
    Objects.requireNonNull(peerName, "peerName");
    RaTlsTrustManager trust = trust(policy);
    long deadline = TlsChannel.deadline(checked(timeout));
    long id = ChannelMessages.decodeChannelId(host.apply(FrameType.CHANNEL_CONNECT,
        new ChannelMessages.Connect(peerName, (int) timeout.toMillis()).encode()));
    return open(id, peerName, trust, true, deadline);
  }

  public EnclaveChannel accept(AttestationPolicy policy, Duration timeout)
      throws RaTlsCertificateException {
    RaTlsTrustManager trust = trust(policy);
    long deadline = TlsChannel.deadline(checked(timeout));
    ChannelMessages.Accepted accepted = ChannelMessages.Accepted.decode(host.apply(
        FrameType.CHANNEL_ACCEPT, new ChannelMessages.Accept((int) timeout.toMillis()).encode()));
    return open(accepted.channel(), accepted.peer(), trust, false, deadline);
  }

  private EnclaveChannel open(long id, String peerName, RaTlsTrustManager trust, boolean client,
      long deadline) throws RaTlsCertificateException {
    TlsChannel channel = new TlsChannel(id, peerName, engine(trust, client), hub, host);
    try {
      channel.handshake(deadline);
      VerifiedEnclave peer = trust.verifiedPeer(channel.engineSession());
      channel.verified(peer);
      return channel;
    } catch (SSLException e) {
      channel.sendAlertQuietly();
      channel.close();
      RaTlsCertificateException refused = refusal(e);
      if (refused != null) {
        throw refused;
      }
      throw new EnclaveException(Code.PERMISSION_DENIED, "the TLS handshake with enclave '"
          + peerName + "' failed (it may have refused this enclave's attestation): "
          + e.getMessage(), e);
    } catch (RuntimeException | RaTlsCertificateException e) {
      channel.close();
      throw e;
    }
  }

  private SSLEngine engine(RaTlsTrustManager trust, boolean client) {
    try {
      SSLContext context = SSLContext.getInstance("TLSv1.3");
      context.init(new KeyManager[] {certificates.keyManager()}, new TrustManager[] {trust}, null);
      SSLEngine engine = context.createSSLEngine();
      engine.setEnabledProtocols(new String[] {"TLSv1.3"});
      engine.setUseClientMode(client);
      if (!client) {
        engine.setNeedClientAuth(true);
      }
      return engine;
    } catch (GeneralSecurityException e) {
      throw new EnclaveException(Code.INTERNAL, "this JDK cannot make a TLS 1.3 engine: " + e, e);
    }
  }

  private RaTlsTrustManager trust(AttestationPolicy policy) {
    Objects.requireNonNull(policy, "policy");
    AttestationVerifier v = verifier;
    if (v == null) {
      v = AttestationVerifier.create();
      verifier = v;
    }
    try {
      return RaTlsTrustManager.builder(policy).verifier(v).build();
    } catch (IllegalArgumentException e) {
      throw new EnclaveException(Code.INVALID_ARGUMENT, e.getMessage());
    }
  }

  private static Duration checked(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.toMillis() > ChannelMessages.MAX_TIMEOUT_MILLIS) {
      throw new EnclaveException(Code.INVALID_ARGUMENT, "a channel timeout is 0 to 10 minutes, got "
          + timeout);
    }
    return timeout;
  }

  private static RaTlsCertificateException refusal(Throwable e) {
    for (int depth = 0; e != null && depth < 32; depth++, e = e.getCause()) {
      if (e instanceof RaTlsCertificateException r) {
        return r;
      }
    }
    return null;
  }
}
