package dev.cella.attestation.ratls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The key manager of an {@link RaTlsCertificateProvider}: at each handshake it offers the
 * provider's current credential, for client and server alike, whenever the peer accepts an EC key.
 * It ignores the peer's list of acceptable issuers: an RA-TLS certificate has no issuer but itself.
 *
 * <p>Example: {@code sslContext.init(new KeyManager[] {provider.keyManager()}, trust, null)}.
 *
 * <p>Thread-safe.
 */
public final class RaTlsKeyManager extends X509ExtendedKeyManager {
  private static final System.Logger LOG = System.getLogger(RaTlsKeyManager.class.getName());

  private final RaTlsCertificateProvider provider;

  RaTlsKeyManager(RaTlsCertificateProvider provider) {
    this.provider = provider;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return aliases(keyType);
  }

  @Override
  public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
    return choose(keyTypes);
  }

  @Override
  public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
    return choose(keyTypes);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return aliases(keyType);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return choose(new String[] {keyType});
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return choose(new String[] {keyType});
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    RaTlsCredential credential = alias == null ? null : provider.byAliasOrNull(alias);
    return credential == null ? null : new X509Certificate[] {credential.certificate()};
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    RaTlsCredential credential = alias == null ? null : provider.byAliasOrNull(alias);
    return credential == null ? null : credential.privateKey();
  }

  private String[] aliases(String keyType) {
    String alias = choose(new String[] {keyType});
    return alias == null ? null : new String[] {alias};
  }

  /** The current credential's alias if the handshake accepts an EC key; null otherwise. */
  private String choose(String[] keyTypes) {
    if (keyTypes == null) {
      return null;
    }
    boolean ec = false;
    for (String type : keyTypes) {
      ec |= "EC".equals(type) || "EC_EC".equals(type) || "ECDHE_ECDSA".equals(type);
    }
    if (!ec) {
      return null;
    }
    try {
      return provider.current().alias();
    } catch (RuntimeException e) {
      // The handshake fails for want of a certificate; the peer sees no secret.
      LOG.log(System.Logger.Level.WARNING, "no RA-TLS certificate for this handshake: {0}",
          e.getMessage());
      return null;
    }
  }
}
