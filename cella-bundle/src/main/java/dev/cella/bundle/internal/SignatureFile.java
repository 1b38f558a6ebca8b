package dev.cella.bundle.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.cella.bundle.InvalidBundleException;
import dev.cella.bundle.InvalidBundleException.Reason;
import dev.cella.bundle.internal.JsonFields.FieldException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.InvalidKeyException;
import java.security.interfaces.ECPublicKey;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * {@code cella/signature}, format 1: {@code {"formatVersion":1,"algorithm":"ES384","publicKey":
 * base64 DER SubjectPublicKeyInfo,"signature": base64 DER ECDSA signature}}.
 *
 * @param publicKey the signer's P-384 public key
 * @param signature the DER ECDSA signature over the signing payload
 */
public record SignatureFile(ECPublicKey publicKey, byte[] signature) {
  /** The format version this code reads and writes. */
  public static final int FORMAT_VERSION = 1;
  /** The largest signature file accepted. */
  public static final int MAX_BYTES = 16 << 10;
  private static final int MAX_SIGNATURE = 256;

  /** Parses the file strictly; a bad file is {@code MALFORMED_SIGNATURE}. */
  public static SignatureFile read(byte[] json) throws InvalidBundleException {
    if (json.length > MAX_BYTES) {
      throw malformed("is " + json.length + " bytes; at most " + MAX_BYTES + " are allowed");
    }
    Map<String, Object> tree;
    try {
      tree = JsonTree.parseObject(json);
    } catch (JsonTree.SyntaxException e) {
      throw malformed(e.getMessage());
    }
    try {
      JsonFields f = JsonFields.root(tree);
      int version = f.integer("formatVersion", 0, Integer.MAX_VALUE);
      if (version != FORMAT_VERSION) {
        throw new InvalidBundleException(Reason.UNSUPPORTED_FORMAT_VERSION, BundleLayout.SIGNATURE
            + " has format version " + version + ", but this Cella reads only version "
            + FORMAT_VERSION + "; sign the bundle again with this Cella");
      }
      f.allowOnly(new LinkedHashSet<>(List.of("formatVersion", "algorithm", "publicKey", "signature")));
      String algorithm = f.string("algorithm");
      if (!algorithm.equals(P384.ALGORITHM)) {
        throw malformed("names algorithm '" + algorithm + "'; bundle format 1 uses only ES384");
      }
      byte[] spki = f.base64("publicKey");
      byte[] signature = f.base64("signature");
      if (signature.length == 0 || signature.length > MAX_SIGNATURE) {
        throw malformed("has a signature of " + signature.length + " bytes, not a DER ECDSA signature");
      }
      try {
        return new SignatureFile(P384.publicKeyFromSpki(spki), signature);
      } catch (InvalidKeyException e) {
        throw malformed("publicKey: " + e.getMessage());
      }
    } catch (FieldException e) {
      throw malformed(e.getMessage());
    }
  }

  /** The canonical JSON of this file. */
  public byte[] toJson() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JsonTree.factory().createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("formatVersion", FORMAT_VERSION);
      g.writeStringField("algorithm", P384.ALGORITHM);
      g.writeStringField("publicKey", Base64.getEncoder().encodeToString(publicKey.getEncoded()));
      g.writeStringField("signature", Base64.getEncoder().encodeToString(signature));
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to memory failed", e);
    }
    return out.toByteArray();
  }

  private static InvalidBundleException malformed(String problem) {
    return new InvalidBundleException(Reason.MALFORMED_SIGNATURE, BundleLayout.SIGNATURE + " "
        + problem + "; sign the bundle again (cella sign)");
  }
}
