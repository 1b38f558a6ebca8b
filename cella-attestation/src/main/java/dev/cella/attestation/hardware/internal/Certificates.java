package dev.cella.attestation.hardware.internal;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses X.509 certificates and CRLs from PEM or DER (also DER concatenated), caching parsed
 * certificates by the SHA-256 of their encoding. Evidence brings its own certificates, and they
 * are parsed before anything vouches for them, so the cache keeps only certificates of at most
 * {@value #MAX_CACHED_CERTIFICATE_BYTES} bytes and at most {@value #MAX_CACHED_BYTES} bytes of
 * them in all (larger ones are parsed every time): a stream of hostile evidence cannot make it
 * hold more. Thread-safe.
 */
public final class Certificates {
  private static final Pattern PEM = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
  private static final int CACHE_LIMIT = 4096;
  /** The largest certificate the cache keeps (real ones have 0.5 to 2 KiB). */
  public static final int MAX_CACHED_CERTIFICATE_BYTES = 8192;
  /** The most encoded bytes the cache holds before it starts again. */
  public static final long MAX_CACHED_BYTES = 4L << 20;
  private static final Map<String, X509Certificate> CACHE = new ConcurrentHashMap<>();
  private static final AtomicLong CACHED_BYTES = new AtomicLong();

  private Certificates() {}

  /** One PEM block: its label ({@code CERTIFICATE}, {@code X509 CRL}) and decoded bytes. */
  public record PemBlock(String label, byte[] der) {}

  /** Whether {@code data} starts (after white space) with a PEM header. */
  public static boolean looksLikePem(byte[] data) {
    int i = 0;
    while (i < data.length && Character.isWhitespace(data[i])) {
      i++;
    }
    return data.length - i >= 11
        && new String(data, i, 11, StandardCharsets.US_ASCII).equals("-----BEGIN ");
  }

  /** Every PEM block in {@code text}; blocks whose base64 is broken are skipped. */
  public static List<PemBlock> pemBlocks(String text) {
    List<PemBlock> out = new ArrayList<>();
    Matcher m = PEM.matcher(text);
    while (m.find()) {
      try {
        out.add(new PemBlock(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
      } catch (IllegalArgumentException e) {
        // not a usable block; the caller finds what it needs elsewhere or reports it missing
      }
    }
    return out;
  }

  /** The certificates of a PEM text. */
  public static List<X509Certificate> fromPem(String text) throws CertificateException {
    List<X509Certificate> out = new ArrayList<>();
    for (PemBlock block : pemBlocks(text)) {
      if (block.label().equals("CERTIFICATE")) {
        out.add(fromDer(block.der()));
      }
    }
    return out;
  }

  /** Forgets every parsed certificate (benchmarks measure cold paths with it). */
  public static void forgetAll() {
    synchronized (CACHE) {
      CACHE.clear();
      CACHED_BYTES.set(0);
    }
  }

  /** The encoded bytes of the certificates the cache holds now. */
  public static long cachedBytes() {
    return CACHED_BYTES.get();
  }

  /** One DER certificate (cached by content). */
  public static X509Certificate fromDer(byte[] der) throws CertificateException {
    String key = Digests.sha256Hex(der);
    X509Certificate cached = CACHE.get(key);
    if (cached != null) {
      return cached;
    }
    X509Certificate cert = (X509Certificate) factory()
        .generateCertificate(new ByteArrayInputStream(der));
    if (der.length <= MAX_CACHED_CERTIFICATE_BYTES) {
      synchronized (CACHE) {
        if (CACHE.size() >= CACHE_LIMIT
            || CACHED_BYTES.get() + der.length > MAX_CACHED_BYTES) {
          CACHE.clear();
          CACHED_BYTES.set(0);
        }
        if (CACHE.putIfAbsent(key, cert) == null) {
          CACHED_BYTES.addAndGet(der.length);
        }
      }
    }
    return cert;
  }

  /** Certificates DER-encoded back to back (some quotes carry their chain this way). */
  public static List<X509Certificate> fromConcatenatedDer(byte[] data, int offset, int length)
      throws CertificateException {
    List<X509Certificate> out = new ArrayList<>();
    int pos = offset;
    int end = offset + length;
    while (pos < end) {
      int len = derLength(data, pos, end);
      if (len < 0) {
        throw new CertificateException("no DER certificate at offset " + pos);
      }
      byte[] one = new byte[len];
      System.arraycopy(data, pos, one, 0, len);
      out.add(fromDer(one));
      pos += len;
    }
    return out;
  }

  /** The total length of the DER SEQUENCE at {@code pos}, or -1 if there is none. */
  public static int derLength(byte[] data, int pos, int end) {
    if (end - pos < 2 || data[pos] != 0x30) {
      return -1;
    }
    int first = data[pos + 1] & 0xFF;
    if (first < 0x80) {
      return pos + 2 + first <= end ? 2 + first : -1;
    }
    int n = first & 0x7F;
    if (n == 0 || n > 3 || end - pos < 2 + n) {
      return -1;
    }
    int len = 0;
    for (int i = 0; i < n; i++) {
      len = len << 8 | (data[pos + 2 + i] & 0xFF);
    }
    long total = 2L + n + len;
    return pos + total <= end ? (int) total : -1;
  }

  /** One DER CRL. */
  public static X509CRL crlFromDer(byte[] der) throws CRLException {
    try {
      return (X509CRL) factory().generateCRL(new ByteArrayInputStream(der));
    } catch (CRLException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CRLException("not a CRL: " + e.getMessage(), e);
    }
  }

  /** SHA-256 of the certificate's SubjectPublicKeyInfo, lower-case hex: the pin of a root. */
  public static String spkiSha256(X509Certificate cert) {
    return Digests.sha256Hex(cert.getPublicKey().getEncoded());
  }

  /** The subject in RFC 2253 form, for messages. */
  public static String name(X509Certificate cert) {
    return cert.getSubjectX500Principal().getName();
  }

  /** Whether the certificate is a CA (basicConstraints cA=TRUE). */
  public static boolean isCa(X509Certificate cert) {
    return cert.getBasicConstraints() >= 0;
  }

  private static CertificateFactory factory() {
    try {
      return CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new IllegalStateException("X.509 is part of every JDK", e);
    }
  }
}
