package dev.cella.protocol;

import dev.cella.Bytes;
import dev.cella.EnclaveIdentity;
import dev.cella.EnclaveLimits;
import dev.cella.EnclaveStatus.Code;
import dev.cella.Measurement;
import dev.cella.PlatformKind;
import dev.cella.SignerId;
import dev.cella.protocol.codec.CodecSeeds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the valid seed inputs of this module's fuzz targets, made by the real encoders, into
 * {@code src/test/resources/.../<Test>Inputs/<method>/seed-*}. Not part of the build: run it when
 * a format changes, then fuzz to regrow the rest of the corpus (docs/fuzzing.md):
 * {@code ./mvnw -pl cella-protocol -am test -Dtest=FuzzSeedsWriter -Dsurefire.failIfNoSpecifiedTests=false -Dcella.fuzz.writeSeeds=true}.
 */
@EnabledIfSystemProperty(named = "cella.fuzz.writeSeeds", matches = "true")
class FuzzSeedsWriter {
  static final String FRAMES = "FrameDecodersFuzzTest";

  @Test
  void writeSeeds() throws IOException {
    InitMessage init = initMessage();
    byte[] invocation =
        new Invocation("com.example.Signer", 0x1234_5678_9abc_def0L, new byte[] {1, 2, 3})
            .toFrame(FrameType.INVOKE);
    byte[] binding = new ServiceBinding("com.example.Signer", Bytes.of(new byte[32])).encode();
    byte[] evidence =
        new EvidenceRequest(Bytes.of(new byte[] {7, 7}), Bytes.of(new byte[64])).encode();

    write(FRAMES, "frames_anyBytes_giveATypeOrProtocolException", "ok", Frames.ok(new byte[] {42}));
    write(FRAMES, "frames_anyBytes_giveATypeOrProtocolException", "error",
        Frames.error(Code.NOT_FOUND, "no such service"));
    write(FRAMES, "frames_anyBytes_giveATypeOrProtocolException", "initialize",
        Frames.frame(FrameType.INITIALIZE, init.encode()));
    write(FRAMES, "frames_anyBytes_giveATypeOrProtocolException", "invoke", invocation);
    write(FRAMES, "failure_anyBytes_isAFailureCode", "error",
        Frames.error(Code.PERMISSION_DENIED, "denied: ü"));
    write(FRAMES, "failure_anyBytes_isAFailureCode", "no-message", Frames.error(Code.INTERNAL, ""));
    // ops: u8 u16 u32 u64 bool string(max 64) bytes(max 16) expectEnd
    byte[] script = {8, 0x00, 0x01, 0x02, 0x03, 0x04, 0x57, 0x46, 0x09};
    byte[] data = new WireWriter(64).u8(1).u16(2).u32(3).u64(4).u8(1).string("text")
        .bytes(new byte[] {9, 9}).toByteArray();
    write(FRAMES, "wireReader_anyReads_stayInBoundsOrThrowProtocolException", "script",
        concat(script, data));
    write(FRAMES, "initMessage_anyPayload_decodesOrThrowsProtocolException", "valid", init.encode());
    write(FRAMES, "invocation_anyFrame_decodesOrThrowsProtocolException", "valid", invocation);
    write(FRAMES, "serviceBinding_anyPayload_decodesExactlyOrThrowsProtocolException", "valid",
        binding);
    write(FRAMES, "evidenceRequest_anyPayload_decodesExactlyOrThrowsProtocolException", "valid",
        evidence);

    for (CodecSeeds.Seed seed : CodecSeeds.all()) {
      write("codec/MethodCodecFuzzTest", "decode_anyMessage_givesAValueOrCodecException",
          seed.name(), seed.input());
    }
  }

  /** A valid INITIALIZE payload with services and a configuration. */
  static InitMessage initMessage() {
    byte[] digest = new byte[48];
    Arrays.fill(digest, (byte) 0x5A);
    EnclaveIdentity identity = new EnclaveIdentity(
        Measurement.of(digest), SignerId.of(digest), 7, 2, false, PlatformKind.SIM);
    return new InitMessage("demo", identity, EnclaveLimits.DEFAULT, "com.example.App",
        List.of(new InitMessage.ServiceEntry("com.example.Signer", "com.example.SignerImpl")),
        new byte[] {1, 2, 3}, new byte[32], new byte[32]);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** Writes one seed; {@code test} is the test class path relative to dev/cella/protocol. */
  static void write(String test, String method, String name, byte[] bytes) throws IOException {
    Path dir = Path.of("src/test/resources/dev/cella/protocol", test + "Inputs", method);
    Files.createDirectories(dir);
    Files.write(dir.resolve("seed-" + name), bytes);
  }
}
