package dev.cella.attestation.dcap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cella.attestation.EvidenceVerifier;
import dev.cella.attestation.VerificationContext;
import dev.cella.attestation.VerifiedEnclave;
import dev.cella.attestation.dcap.internal.Quote;
import dev.cella.attestation.hardware.internal.Mutations;
import dev.cella.attestation.hardware.internal.Vectors;
import dev.cella.attestation.sgx.SgxDcapVerifier;
import dev.cella.attestation.tdx.TdxVerifier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Header and body are signed by the attestation key: flipping any of their bytes fails. The
 * signature data is authenticated through the QE report and the PCK chain: a flip there fails or,
 * where it does not matter (a PEM line break), yields the same claims. Padding after the
 * signature data never changes the claims.
 */
class DcapMutationTest {

  @ParameterizedTest(name = "{0}/{1} every {3}th body byte")
  @CsvSource({
      "sgx, sgx-v3-phala-dcapqvl-2025-06, quote.bin, 2, 61, 2025-07-19T10:01:17Z",
      "sgx, sgx-v3-occlum-trustee-tcbinfo-v2-2025-06, quote.dat, 5, 97, 2025-06-25T00:00:00Z",
      "tdx, tdx-v4-phala-dcapqvl-2025-06, quote.bin, 3, 67, 2025-07-19T10:00:34Z",
      "tdx, tdx-v4-automata-00806f050000-2025-07, quote.bin, 7, 89, 2025-07-20T00:00:00Z",
      "tdx, tdx-v5-gotdxguest-sample-2026-02, quote.dat, 3, 53, 2026-02-20T00:00:00Z"
  })
  void flips_inSignedBytesFail_andElsewhereNeverChangeClaims(String kind, String name,
      String file, int stride, int dataStride, String at) throws Exception {
    byte[] quote = Vectors.read(kind, name, file);
    EvidenceVerifier verifier = kind.equals("sgx") ? new SgxDcapVerifier() : new TdxVerifier();
    VerificationContext ctx = Vectors.at(at, Vectors.dir(kind, name));
    VerifiedEnclave original = verifier.verify(quote, ctx);
    Quote parsed = Quote.parse(quote);

    int flips = Mutations.eachSignedByteRefused(quote, 0, parsed.signedLength(), stride,
        q -> verifier.verify(q, ctx));
    Mutations.unsignedBytesNeverChangeClaims(quote, parsed.signedLength(), parsed.end(),
        dataStride, original, true, q -> verifier.verify(q, ctx));
    Mutations.unsignedBytesNeverChangeClaims(quote, parsed.end(), quote.length, 97, original,
        false, q -> verifier.verify(q, ctx));

    assertThat(flips).isEqualTo((parsed.signedLength() + stride - 1) / stride);
  }
}
