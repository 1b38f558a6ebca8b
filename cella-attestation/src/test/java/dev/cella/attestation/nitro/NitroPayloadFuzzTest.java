package dev.cella.attestation.nitro;

import static dev.cella.attestation.hardware.internal.FuzzChecks.verifyOrRefuse;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.cella.PlatformKind;
import dev.cella.attestation.VerificationContext;
import dev.cella.attestation.hardware.internal.Certificates;
import dev.cella.testkit.AllocationBudget;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Fuzz target for what a Nitro document's signature covers: the input is the COSE payload, which
 * the target signs with a committed throw-away leaf key ({@value #LEAF_KEY}) so that the fuzzer
 * reaches the payload parser, the cabundle's certificate parsing and chain, the timestamp checks
 * and the result. The seeds' chain (root {@value #ROOT}, an intermediate, the leaf) was made by
 * {@code NitroFuzzSeedsWriter} for the purpose, dated {@link #T0}; its other keys were thrown
 * away. Whatever the payload, {@link NitroVerifier} returns a result or an {@code
 * AttestationException} not made by its safety net.
 */
class NitroPayloadFuzzTest {
  static final String ROOT = "nitro-fuzz-root.pem";
  static final String LEAF_KEY = "nitro-fuzz-leaf.pk8";
  static final Instant T0 = Instant.parse("2026-01-10T10:00:00Z");
  private static final byte[] PROTECTED = {(byte) 0xA1, 0x01, 0x38, 0x22};
  private static final NitroVerifier VERIFIER = new NitroVerifier();

  @FuzzTest
  void verify_signedAnyPayload_isVerifiedOrAttestationException(byte[] payload)
      throws Exception {
    byte[] document = Signed.document(payload);
    AllocationBudget.check(AllocationBudget.ALLOWANCE + 64L * document.length,
        () -> verifyOrRefuse(VERIFIER, document, Signed.CONTEXT));
  }

  /** The committed seeds verify, so mutations start from a payload that passes every check. */
  @Test
  void validSeeds_verify() throws Exception {
    for (String seed : List.of("seed-full", "seed-minimal")) {
      byte[] payload = input("verify_signedAnyPayload_isVerifiedOrAttestationException", seed);
      assertThat(VERIFIER.verify(Signed.document(payload), Signed.CONTEXT).platform())
          .isEqualTo(PlatformKind.NITRO);
    }
  }

  static byte[] input(String method, String name) throws IOException {
    try (InputStream in = NitroPayloadFuzzTest.class.getResourceAsStream(
        "NitroPayloadFuzzTestInputs/" + method + "/" + name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }

  /** The committed key and root; loaded on first use, after NitroFuzzSeedsWriter wrote them. */
  private static final class Signed {
    static final PrivateKey KEY = key();
    static final VerificationContext CONTEXT = new VerificationContext(T0.plusSeconds(60),
        List.of(root()), true, Optional.empty());

    static byte[] document(byte[] payload) {
      TestCbor tbs = new TestCbor().array(4).text("Signature1").bytes(PROTECTED)
          .bytes(new byte[0]).bytes(payload);
      try {
        Signature s = Signature.getInstance("SHA384withECDSAinP1363Format");
        s.initSign(KEY);
        s.update(tbs.encode());
        return new TestCbor().array(4).bytes(PROTECTED).map(0).bytes(payload).bytes(s.sign())
            .encode();
      } catch (Exception e) {
        throw new IllegalStateException("cannot sign", e);
      }
    }

    private static PrivateKey key() {
      try (InputStream in = NitroPayloadFuzzTest.class.getResourceAsStream(LEAF_KEY)) {
        return KeyFactory.getInstance("EC").generatePrivate(
            new PKCS8EncodedKeySpec(in.readAllBytes()));
      } catch (Exception e) {
        throw new IllegalStateException(LEAF_KEY + " is missing; run NitroFuzzSeedsWriter", e);
      }
    }

    private static X509Certificate root() {
      try (InputStream in = NitroPayloadFuzzTest.class.getResourceAsStream(ROOT)) {
        return Certificates.fromPem(new String(in.readAllBytes(), StandardCharsets.US_ASCII))
            .get(0);
      } catch (Exception e) {
        throw new IllegalStateException(ROOT + " is missing; run NitroFuzzSeedsWriter", e);
      }
    }
  }
}
