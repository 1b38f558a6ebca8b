package dev.cella.attestation.snp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.attestation.AttestationException;
import dev.cella.attestation.VerificationContext;
import dev.cella.attestation.VerifiedEnclave;
import dev.cella.attestation.hardware.internal.Mutations;
import dev.cella.attestation.hardware.internal.Vectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every byte of 0x000–0x29F is signed: flipping any fails. The signature's reserved bytes
 * (0x330–0x49F) are not: flipping them never changes the claims.
 */
class SnpMutationTest {
  private final SnpVerifier verifier = new SnpVerifier();

  @ParameterizedTest(name = "{0} every {2}th signed byte")
  @CsvSource({
      "snp-v2-gosevguest-milan-vcek, 2022-09-24T01:00:00Z, 2, 8",
      "snp-v2-trustee-milan-vcek, 2024-01-01T00:00:00Z, 9, 32",
      "snp-v3-dstack-milan-scale-framed, 2026-06-17T02:00:00Z, 9, 32",
      "snp-v3-trustee-milan-vlek-aws, 2025-06-01T00:00:00Z, 9, 32"
  })
  void signedBytesFlipped_areRefused_andReservedBytesNeverChangeClaims(String name, String at,
      int stride, int reservedStride) throws Exception {
    byte[] report = Vectors.read("snp", name, "report.bin");
    VerificationContext ctx = Vectors.at(at, Vectors.dir("snp", name));
    VerifiedEnclave original = verifier.verify(report, ctx);

    int flips = Mutations.eachSignedByteRefused(report, 0, 0x2A0, stride,
        r -> verifier.verify(r, ctx));
    Mutations.unsignedBytesNeverChangeClaims(report, 0x330, 0x4A0, reservedStride, original,
        false, r -> verifier.verify(r, ctx));

    assertThat(flips).isEqualTo((0x2A0 + stride - 1) / stride);
    for (int i = 0x2A0; i < 0x330; i += 9) {
      byte[] copy = report.clone();
      copy[i] ^= 0x01;
      assertThatThrownBy(() -> verifier.verify(copy, ctx))
          .as("signature byte %d", i).isInstanceOf(AttestationException.class);
    }
  }
}
