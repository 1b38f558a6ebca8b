package dev.cella.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cella.attestation.hardware.internal.Vectors;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The hardware verifiers are found by ServiceLoader and each recognizes only its own format. */
class HardwareVerifiersRegistrationTest {
  private static final Map<String, byte[]> SAMPLES = new TreeMap<>(Map.of(
      "nitro", Vectors.read("nitro", "nitro-blocky-2024-09-07", "attestation_doc.cose"),
      "nitro-b64", Vectors.read("nitro", "nitro-blocky-2024-09-07", "attestation_doc.b64"),
      "nitro-framed", Vectors.read("nitro", "nitro-dstack-nsmqvl-2025-12-25",
          "attestation.framed.bin"),
      "sev-snp", Vectors.read("snp", "snp-v2-gosevguest-milan-vcek", "report.bin"),
      "sgx-dcap", Vectors.read("sgx", "sgx-v3-phala-dcapqvl-2025-06", "quote.bin"),
      "tdx-dcap", Vectors.read("tdx", "tdx-v4-phala-dcapqvl-2025-06", "quote.bin"),
      "tdx-dcap-v5", Vectors.read("tdx", "tdx-v5-gotdxguest-sample-2026-02", "quote.dat")));

  private static List<EvidenceVerifier> hardware() {
    return ServiceLoader.load(EvidenceVerifier.class).stream().map(ServiceLoader.Provider::get)
        .filter(v -> List.of("nitro", "sev-snp", "sgx-dcap", "tdx-dcap").contains(v.format()))
        .toList();
  }

  @Test
  void serviceLoader_findsTheFourHardwareVerifiers() {
    assertThat(hardware()).extracting(v -> v.getClass().getName()).containsExactlyInAnyOrder(
        "dev.cella.attestation.nitro.NitroVerifier", "dev.cella.attestation.snp.SnpVerifier",
        "dev.cella.attestation.sgx.SgxDcapVerifier", "dev.cella.attestation.tdx.TdxVerifier");
  }

  @Test
  void eachSample_isRecognizedByExactlyItsVerifier() {
    for (var sample : SAMPLES.entrySet()) {
      List<String> recognizing = hardware().stream()
          .filter(v -> v.recognizes(sample.getValue())).map(EvidenceVerifier::format)
          .collect(Collectors.toList());
      assertThat(recognizing).as(sample.getKey())
          .containsExactly(sample.getKey().replaceAll("-(b64|framed|v5)$", ""));
    }
  }

  @Test
  void garbage_isRecognizedByNone() {
    for (byte[] junk : List.of(new byte[0], new byte[1184], "hello".getBytes(),
        new byte[] {(byte) 0x84, 0x44})) {
      assertThat(hardware()).noneMatch(v -> v.recognizes(junk));
    }
  }
}
