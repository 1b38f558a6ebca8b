package dev.cella.cli.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.cella.BackendInfo;
import dev.cella.EnclaveIdentity;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/** What {@code cella demo} found, printed as text or JSON. */
record DemoReport(EnclaveIdentity identity, BackendInfo backend, Path file, long size,
    String publicKeyFingerprint, boolean keyCreated, boolean jdkVerified,
    OpensslCheck.Outcome openssl, EvidenceCheck evidence) {

  /** Whether every tool that ran verified the signature, and the evidence verified. */
  boolean verified() {
    return jdkVerified && (!openssl.ran() || openssl.verified()) && evidence.verified().isPresent();
  }

  void print(PrintWriter out) {
    out.println("Cella demo: a file signed inside an enclave");
    out.println();
    row(out, "enclave", "signer (examples/signer), product " + identity.productId() + ", svn "
        + identity.svn() + (identity.debug() ? ", DEBUG build" : ""));
    row(out, "measurement", identity.measurement().hex());
    row(out, "signer", identity.signer().hex());
    row(out, "backend", backend.name() + ", security level " + backend.securityLevel().id()
        + " (" + backend.summary() + ")");
    row(out, "file", file + " (" + size + " bytes)");
    row(out, "public key", "ECDSA P-384, made inside the enclave; SHA-384 of its DER: "
        + publicKeyFingerprint);
    row(out, "private key", (keyCreated ? "made in this run and sealed" : "unsealed from the"
        + " enclave's sealed storage (same key as the last run)") + "; never left the enclave");
    row(out, "signature", "SHA384withECDSA");
    row(out, "  JDK", jdkVerified ? "verified" : "REFUSED");
    row(out, "  openssl", !openssl.ran() ? openssl.detail()
        : openssl.verified() ? "verified (openssl dgst -sha384 -verify: " + openssl.detail() + ")"
        : "REFUSED: " + openssl.detail());
    row(out, "evidence", evidence.verified().isPresent() ? "verified (" + evidence.policy() + ")"
        : "REFUSED: " + evidence.detail());
    evidence.verified().ifPresent(v -> {
      row(out, "  platform", v.platform().id() + ", security level " + v.securityLevel().id());
      row(out, "  measured", v.measurement().hex());
      row(out, "  signer", v.signer().map(Object::toString).orElse("-"));
      row(out, "  svn", Integer.toString(v.svn()) + (v.debug() ? ", DEBUG" : ""));
    });
    out.println();
    out.println(verified() ? "The signature and the enclave's evidence verify."
        : "The signature or the evidence does NOT verify.");
    out.flush();
  }

  void writeJson(JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeObjectFieldStart("enclave");
    g.writeStringField("name", "signer");
    g.writeStringField("measurement", identity.measurement().hex());
    g.writeStringField("signer", identity.signer().hex());
    g.writeNumberField("productId", identity.productId());
    g.writeNumberField("svn", identity.svn());
    g.writeBooleanField("debug", identity.debug());
    g.writeEndObject();
    g.writeObjectFieldStart("backend");
    g.writeStringField("name", backend.name());
    g.writeStringField("securityLevel", backend.securityLevel().id());
    g.writeEndObject();
    g.writeStringField("file", file.toString());
    g.writeNumberField("size", size);
    g.writeStringField("publicKeySha384", publicKeyFingerprint);
    g.writeObjectFieldStart("verifiedBy");
    g.writeBooleanField("jdk", jdkVerified);
    if (openssl.ran()) {
      g.writeBooleanField("openssl", openssl.verified());
    } else {
      g.writeStringField("openssl", openssl.detail());
    }
    g.writeEndObject();
    g.writeBooleanField("keyCreated", keyCreated);
    g.writeObjectFieldStart("evidence");
    g.writeBooleanField("verified", evidence.verified().isPresent());
    g.writeStringField("policy", evidence.policy());
    g.writeStringField("detail", evidence.detail());
    if (evidence.verified().isPresent()) {
      g.writeStringField("platform", evidence.verified().get().platform().id());
      g.writeStringField("measurement", evidence.verified().get().measurement().hex());
    }
    g.writeEndObject();
    g.writeBooleanField("verified", verified());
    g.writeEndObject();
  }

  private static void row(PrintWriter out, String name, String value) {
    out.printf("  %-12s %s%n", name, value);
  }
}
