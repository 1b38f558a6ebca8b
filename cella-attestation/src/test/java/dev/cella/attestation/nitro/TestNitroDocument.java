package dev.cella.attestation.nitro;

import dev.cella.attestation.hardware.internal.TestPki.Issued;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Builds Nitro-shaped documents signed by test keys, with knobs for the broken variants. */
final class TestNitroDocument {
  List<X509Certificate> cabundle = new ArrayList<>();
  Issued leaf;
  long timestamp;
  Map<Integer, byte[]> pcrs = new TreeMap<>();
  byte[] userData;
  byte[] nonce;
  byte[] publicKey;
  int algorithm = -35;
  String digest = "SHA384";
  boolean duplicateModuleId;

  TestNitroDocument(List<X509Certificate> cabundle, Issued leaf, long timestamp) {
    this.cabundle.addAll(cabundle);
    this.leaf = leaf;
    this.timestamp = timestamp;
    for (int i = 0; i < 16; i++) {
      byte[] v = new byte[48];
      if (i == 0) {
        java.util.Arrays.fill(v, (byte) 0x11);
      }
      pcrs.put(i, v);
    }
  }

  byte[] payload() {
    try {
      int entries = 6 + (userData != null ? 1 : 0) + (nonce != null ? 1 : 0)
          + (publicKey != null ? 1 : 0) + (duplicateModuleId ? 1 : 0);
      TestCbor c = new TestCbor().map(entries);
      c.text("module_id").text("i-test-enc0");
      if (duplicateModuleId) {
        c.text("module_id").text("i-other-enc0");
      }
      c.text("digest").text(digest);
      c.text("timestamp").uint(timestamp);
      c.text("pcrs").map(pcrs.size());
      for (var e : pcrs.entrySet()) {
        c.uint(e.getKey()).bytes(e.getValue());
      }
      c.text("certificate").bytes(leaf.cert().getEncoded());
      c.text("cabundle").array(cabundle.size());
      for (X509Certificate cert : cabundle) {
        c.bytes(cert.getEncoded());
      }
      if (publicKey != null) {
        c.text("public_key").bytes(publicKey);
      }
      if (userData != null) {
        c.text("user_data").bytes(userData);
      }
      if (nonce != null) {
        c.text("nonce").bytes(nonce);
      }
      return c.encode();
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  byte[] build() {
    byte[] prot;
    if (algorithm >= 0) {
      prot = new TestCbor().map(1).uint(1).uint(algorithm).encode();
    } else {
      prot = new TestCbor().map(1).uint(1).head(1, -1L - algorithm).encode();
    }
    byte[] payload = payload();
    byte[] tbs = new TestCbor().array(4).text("Signature1").bytes(prot).bytes(new byte[0])
        .bytes(payload).encode();
    try {
      Signature s = Signature.getInstance("SHA384withECDSAinP1363Format");
      s.initSign(leaf.key());
      s.update(tbs);
      byte[] sig = s.sign();
      return new TestCbor().array(4).bytes(prot).map(0).bytes(payload).bytes(sig).encode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
