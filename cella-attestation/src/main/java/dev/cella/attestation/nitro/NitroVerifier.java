package dev.cella.attestation.nitro;

import dev.cella.Bytes;
import dev.cella.PlatformKind;
import dev.cella.SecurityLevel;
import dev.cella.attestation.AttestationException;
import dev.cella.attestation.AttestationException.Reason;
import dev.cella.attestation.ClaimNames;
import dev.cella.attestation.EvidenceVerifier;
import dev.cella.attestation.TcbAppraisal;
import dev.cella.attestation.TcbStatus;
import dev.cella.attestation.VerificationContext;
import dev.cella.attestation.VerifiedEnclave;
import dev.cella.attestation.hardware.internal.Unforeseen;
import dev.cella.attestation.hardware.internal.SignatureChecks;
import dev.cella.attestation.hardware.internal.TrustedRoots;
import dev.cella.attestation.nitro.internal.CoseSign1;
import dev.cella.attestation.nitro.internal.NitroChain;
import dev.cella.attestation.nitro.internal.NitroEnvelope;
import dev.cella.attestation.nitro.internal.NitroPayload;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Verifies AWS Nitro Enclaves attestation documents: the COSE_Sign1 ES384 signature under the
 * signing certificate, the chain from that certificate through the document's {@code cabundle}
 * to the pinned AWS Nitro Enclaves Root G1 (or the context's roots), and every certificate's
 * window at the verification time. Accepts the raw COSE_Sign1 (tagged or not), the same after a
 * 4-byte frame, and base64 text of it.
 *
 * <p>The result's measurement is PCR0, {@code debug} is true when PCR0 is all zeros (enclaves
 * started in debug mode), report data is {@code user_data}, the nonce is {@code nonce}, and the
 * claims hold {@code module-id}, {@code pcr0}…{@code pcr31}, {@code user-data} and
 * {@code public-key}.
 *
 * <p>Example: {@code new NitroVerifier().verify(document, VerificationContext.now())}.
 *
 * <p>Stateless and thread-safe.
 */
public final class NitroVerifier implements EvidenceVerifier {
  /** SHA-256 of the SubjectPublicKeyInfo of the AWS Nitro Enclaves Root G1. */
  public static final String AWS_ROOT_G1_KEY_SHA256 =
      "f2caf5ecc6190b4a8399b78bc58a2bbcd0382375db8a1bfd78a82743874fd225";
  private static final TrustedRoots ROOTS = TrustedRoots.pinned(NitroVerifier.class,
      List.of("aws-nitro-enclaves-root-g1.pem"), List.of(AWS_ROOT_G1_KEY_SHA256));
  /** Timestamps below this are not plausible milliseconds (before 1973). */
  private static final long SECONDS_LIKE = 100_000_000_000L;
  private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  /** A verifier with the pinned AWS root. */
  public NitroVerifier() {}

  @Override
  public String format() {
    return "nitro";
  }

  @Override
  public boolean recognizes(byte[] evidence) {
    return NitroEnvelope.find(evidence).isPresent();
  }

  @Override
  public VerifiedEnclave verify(byte[] evidence, VerificationContext context)
      throws AttestationException {
    return Unforeseen.refuse("nitro document", () -> verifyChecked(evidence, context));
  }

  private VerifiedEnclave verifyChecked(byte[] evidence, VerificationContext context)
      throws AttestationException {
    NitroEnvelope envelope = NitroEnvelope.require(evidence);
    CoseSign1 cose = CoseSign1.parse(envelope);
    NitroPayload payload = NitroPayload.parse(envelope, cose);
    List<X509Certificate> chain = NitroChain.certificates(payload);
    X509Certificate signing = chain.get(chain.size() - 1);
    checkSignature(cose, signing);
    NitroChain.verify(chain, ROOTS.in(context), context.at());
    Instant issuedAt = issuedAt(payload, signing, context.at());
    return result(payload, issuedAt);
  }

  private static void checkSignature(CoseSign1 cose, X509Certificate signing)
      throws AttestationException {
    if (!(signing.getPublicKey() instanceof ECPublicKey ec)
        || ec.getParams().getCurve().getField().getFieldSize() != 384) {
      throw new AttestationException(Reason.BAD_SIGNATURE, "nitro document: the signing "
          + "certificate's key is not an ECDSA P-384 key, so it cannot make an ES384 signature");
    }
    byte[] tbs = cose.toBeSigned();
    if (!SignatureChecks.raw("SHA384withECDSAinP1363Format", ec, tbs, 0, tbs.length,
        cose.signature(), false)) {
      throw new AttestationException(Reason.BAD_SIGNATURE, "nitro document: the COSE_Sign1 "
          + "ES384 signature does not verify under the signing certificate '"
          + signing.getSubjectX500Principal().getName() + "'");
    }
  }

  private static Instant issuedAt(NitroPayload payload, X509Certificate signing, Instant at)
      throws AttestationException {
    Instant issued = Instant.ofEpochMilli(payload.timestamp());
    Instant from = signing.getNotBefore().toInstant();
    Instant to = signing.getNotAfter().toInstant();
    if (issued.isBefore(from) || issued.isAfter(to)) {
      throw new AttestationException(Reason.MALFORMED, "nitro document: timestamp "
          + payload.timestamp() + " ms (" + issued + ") lies outside the signing certificate's "
          + "validity " + from + " to " + to
          + (payload.timestamp() < SECONDS_LIKE
              ? "; it looks like seconds, but Nitro timestamps are milliseconds" : ""));
    }
    if (issued.isAfter(at.plus(CLOCK_SKEW))) {
      throw new AttestationException(Reason.NOT_YET_VALID, "nitro document: made at " + issued
          + ", after the verification time " + at);
    }
    return issued;
  }

  private static VerifiedEnclave result(NitroPayload payload, Instant issuedAt) {
    Map<String, String> claims = new HashMap<>();
    claims.put(ClaimNames.MODULE_ID, payload.moduleId());
    payload.pcrs().forEach((index, value) -> claims.put(ClaimNames.pcr(index), value.hex()));
    payload.userData().ifPresent(u -> claims.put(ClaimNames.USER_DATA, u.hex()));
    payload.publicKey().ifPresent(k -> claims.put(ClaimNames.PUBLIC_KEY, k.hex()));
    Bytes pcr0 = payload.pcrs().get(0);
    return new VerifiedEnclave("nitro", PlatformKind.NITRO, SecurityLevel.HARDWARE, pcr0,
        Optional.empty(), 0, 0, allZero(pcr0), payload.userData().orElse(Bytes.empty()),
        payload.nonce(), Optional.of(issuedAt),
        Optional.of(new TcbAppraisal(TcbStatus.UP_TO_DATE, List.of())), claims);
  }

  private static boolean allZero(Bytes value) {
    for (int i = 0; i < value.length(); i++) {
      if (value.byteAt(i) != 0) {
        return false;
      }
    }
    return true;
  }
}
