package dev.cella.attestation;

import dev.cella.attestation.dcap.internal.Quote;
import dev.cella.attestation.hardware.internal.Vectors;
import dev.cella.attestation.ratls.internal.Cmw;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.asn1.DEROctetString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the seeds of {@link HardwareEvidenceFuzzTest} and {@code ratls.RaTlsFuzzTest}: copies
 * of real vectors (their origins are in each case's {@code SOURCE.md} under {@code
 * src/test/resources/vectors}, summed up in {@code HardwareEvidenceFuzzTestInputs/SOURCE.md}),
 * and CMW records made by the real encoder. Not part of the build: {@code ./mvnw -pl
 * cella-attestation -am test -Dtest=HardwareFuzzSeedsWriter -Dsurefire.failIfNoSpecifiedTests=false
 * -Dcella.fuzz.writeSeeds=true} (docs/fuzzing.md).
 */
@EnabledIfSystemProperty(named = "cella.fuzz.writeSeeds", matches = "true")
class HardwareFuzzSeedsWriter {
  private static final Path HARDWARE =
      Path.of("src/test/resources/dev/cella/attestation/HardwareEvidenceFuzzTestInputs");
  private static final Path RATLS =
      Path.of("src/test/resources/dev/cella/attestation/ratls/RaTlsFuzzTestInputs");

  @Test
  void writeSeeds() throws Exception {
    String dcap = "dcapQuote_anyBytes_isVerifiedOrAttestationException";
    copy(dcap, "sgx-v3-phala", "sgx", HardwareEvidenceFuzzTest.SGX_CASE, "quote.bin");
    copy(dcap, "sgx-v3-qvl", "sgx", "sgx-v3-intel-qvl-sample-testroot", "quote.dat");
    copy(dcap, "tdx-v4-phala", "tdx", HardwareEvidenceFuzzTest.TDX_CASE, "quote.bin");
    copy(dcap, "tdx-v5-gotdxguest", "tdx", "tdx-v5-gotdxguest-sample-2026-02", "quote.dat");
    byte[] sgx = Vectors.read("sgx", HardwareEvidenceFuzzTest.SGX_CASE, "quote.bin");
    write(HARDWARE, "dcapCertificationData_anyBytes_isVerifiedOrAttestationException",
        "pck-chain", Quote.parse(sgx).certificationData());
    String snp = "snpReport_anyBytes_isVerifiedOrAttestationException";
    copy(snp, "v2-milan-vcek", "snp", HardwareEvidenceFuzzTest.SNP_CASE, "report.bin");
    copy(snp, "v2-trustee-vcek", "snp", "snp-v2-trustee-milan-vcek", "report.bin");
    copy(snp, "v3-milan-vlek", "snp", "snp-v3-trustee-milan-vlek-aws", "report.bin");
    String keys = "snpCollateral_anyKeyFile_isVerifiedOrAttestationException";
    byte[] vcek = Vectors.read("snp", HardwareEvidenceFuzzTest.SNP_CASE, "vcek.der");
    write(HARDWARE, keys, "vcek-der", vcek);
    write(HARDWARE, keys, "vcek-pem", ("-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(vcek)
        + "\n-----END CERTIFICATE-----\n").getBytes(StandardCharsets.US_ASCII));
    String nitro = "nitroDocument_anyBytes_isVerifiedOrAttestationException";
    copy(nitro, "raw", "nitro", HardwareEvidenceFuzzTest.NITRO_CASE, "attestation_doc.cose");
    copy(nitro, "framed", "nitro", "nitro-dstack-nsmqvl-2025-12-25", "attestation.framed.bin");
    copy(nitro, "base64", "nitro", "nitro-evervault-2023-09-18-userdata-spki",
        "attestation_doc.b64");

    byte[] small = new byte[40];
    Arrays.fill(small, (byte) 7);
    byte[] document = Vectors.read("nitro", HardwareEvidenceFuzzTest.NITRO_CASE,
        "attestation_doc.cose");
    String cmw = "cmw_anyRecord_decodesExactlyOrMalformedException";
    write(RATLS, cmw, "small", Cmw.encode(small));
    write(RATLS, cmw, "nitro", Cmw.encode(document));
    String ext = "evidenceExtension_anyValue_isEvidenceOrRaTlsCertificateException";
    write(RATLS, ext, "small", new DEROctetString(Cmw.encode(small)).getEncoded("DER"));
    write(RATLS, ext, "nitro", new DEROctetString(Cmw.encode(document)).getEncoded("DER"));
  }

  private static void copy(String method, String name, String kind, String caseName, String file)
      throws Exception {
    write(HARDWARE, method, name, Vectors.read(kind, caseName, file));
  }

  private static void write(Path inputs, String method, String name, byte[] data)
      throws Exception {
    Path dir = Files.createDirectories(inputs.resolve(method));
    Files.write(dir.resolve("seed-" + name), data);
  }
}
