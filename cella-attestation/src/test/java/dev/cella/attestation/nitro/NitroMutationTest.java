package dev.cella.attestation.nitro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.attestation.AttestationException;
import dev.cella.attestation.VerificationContext;
import dev.cella.attestation.VerifiedEnclave;
import dev.cella.attestation.hardware.internal.Mutations;
import dev.cella.attestation.hardware.internal.Vectors;
import dev.cella.attestation.nitro.internal.CoseSign1;
import dev.cella.attestation.nitro.internal.NitroEnvelope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Flipping a byte of the signed region (protected header and payload) makes verification fail;
 * bytes outside it (frame, trailing frame fields, unprotected header) never change the claims.
 */
class NitroMutationTest {
  private final NitroVerifier verifier = new NitroVerifier();

  /** The signed region of a raw or framed document: COSE start to payload end. */
  private static int[] signedRegion(byte[] doc) throws AttestationException {
    NitroEnvelope env = NitroEnvelope.require(doc);
    CoseSign1 cose = CoseSign1.parse(env);
    return new int[] {env.start(), cose.payloadOffset() + cose.payload().length, cose.end()};
  }

  @ParameterizedTest(name = "{0} every {2}th byte")
  @CsvSource({
      "nitro-evervault-debug-2022-10-12, attestation_doc.cose, 7, 2022-10-12T13:50:06.081Z",
      "nitro-blocky-2024-09-07, attestation_doc.cose, 41, 2024-09-07T14:37:39.545Z",
      "nitro-blocky-debug-2024-09-07, attestation_doc.cose, 43, 2024-09-07T14:38:06.508Z",
      "nitro-dstack-attest-debug-2025-12-25, attestation.framed.bin, 31, 2025-12-25T08:20:46.577Z",
      "nitro-dstack-nsmqvl-2025-12-25, attestation.framed.bin, 29, 2025-12-25T13:15:37.578Z",
      "nitro-evervault-2023-09-18-userdata-spki, attestation_doc.cose, 23, 2023-09-18T15:03:30.860Z"
  })
  void flipInSignedRegion_isRefused(String name, String file, int stride, String at)
      throws Exception {
    byte[] doc = Vectors.read("nitro", name, file);
    VerificationContext ctx = Vectors.at(at);
    verifier.verify(doc, ctx);
    int[] region = signedRegion(doc);

    int flips = Mutations.eachSignedByteRefused(doc, region[0], region[1], stride,
        d -> verifier.verify(d, ctx));

    assertThat(flips).isGreaterThan((region[1] - region[0]) / stride - 1);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "nitro-dstack-attest-debug-2025-12-25, 2025-12-25T08:20:46.577Z",
      "nitro-dstack-nsmqvl-2025-12-25, 2025-12-25T13:15:37.578Z"
  })
  void flipInFrameOrTrailingFields_neverChangesTheClaims(String name, String at)
      throws Exception {
    byte[] doc = Vectors.read("nitro", name, "attestation.framed.bin");
    VerificationContext ctx = Vectors.at(at);
    VerifiedEnclave original = verifier.verify(doc, ctx);
    int[] region = signedRegion(doc);

    Mutations.unsignedBytesNeverChangeClaims(doc, 0, region[0], original, false,
        d -> verifier.verify(d, ctx));
    int trailing = Mutations.unsignedBytesNeverChangeClaims(doc, region[2], doc.length, original,
        false, d -> verifier.verify(d, ctx));

    assertThat(trailing).isEqualTo(doc.length - region[2]).isPositive();
  }

  @Test
  void flipInUnprotectedHeaderOrSignature_neverYieldsOtherClaims() throws Exception {
    byte[] doc = Vectors.read("nitro", "nitro-blocky-2024-09-07", "attestation_doc.cose");
    VerificationContext ctx = Vectors.at("2024-09-07T14:37:39.545Z");
    VerifiedEnclave original = verifier.verify(doc, ctx);
    NitroEnvelope env = NitroEnvelope.require(doc);
    CoseSign1 cose = CoseSign1.parse(env);
    int unprotectedAt = 1 + 1 + cose.protectedHeader().length;
    int signatureAt = cose.end() - 96;

    Mutations.unsignedBytesNeverChangeClaims(doc, unprotectedAt, unprotectedAt + 1, original,
        true, d -> verifier.verify(d, ctx));
    for (int i = signatureAt; i < cose.end(); i += 5) {
      byte[] copy = doc.clone();
      copy[i] ^= 0x01;
      assertThatThrownBy(() -> verifier.verify(copy, ctx))
          .isInstanceOf(AttestationException.class);
    }
  }
}
