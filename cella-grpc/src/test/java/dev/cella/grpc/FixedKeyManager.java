package dev.cella.grpc;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/** Presents a fixed chain with a fixed key, whether or not they belong together. */
final class FixedKeyManager extends X509ExtendedKeyManager {
  private final X509Certificate[] chain;
  private final PrivateKey key;

  FixedKeyManager(PrivateKey key, X509Certificate... chain) {
    this.chain = chain.clone();
    this.key = key;
  }

  @Override public String[] getClientAliases(String t, Principal[] i) { return new String[] {"k"}; }
  @Override public String chooseClientAlias(String[] t, Principal[] i, Socket s) { return "k"; }
  @Override public String chooseEngineClientAlias(String[] t, Principal[] i, SSLEngine e) { return "k"; }
  @Override public String[] getServerAliases(String t, Principal[] i) { return new String[] {"k"}; }
  @Override public String chooseServerAlias(String t, Principal[] i, Socket s) { return "k"; }
  @Override public String chooseEngineServerAlias(String t, Principal[] i, SSLEngine e) { return "k"; }
  @Override public X509Certificate[] getCertificateChain(String alias) { return chain.clone(); }
  @Override public PrivateKey getPrivateKey(String alias) { return key; }
}
