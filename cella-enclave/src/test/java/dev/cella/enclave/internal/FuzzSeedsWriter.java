package dev.cella.enclave.internal;

import dev.cella.Bytes;
import dev.cella.EnclaveStatus.Code;
import dev.cella.enclave.internal.EnclaveRuntimeFuzzTest.Script;
import dev.cella.protocol.FrameType;
import dev.cella.protocol.Frames;
import dev.cella.protocol.InitMessage;
import dev.cella.protocol.Invocation;
import dev.cella.protocol.ServiceBinding;
import dev.cella.protocol.codec.CodecLimits;
import dev.cella.protocol.codec.MethodCodec;
import dev.cella.protocol.codec.ServiceCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the seed scripts of {@link EnclaveRuntimeFuzzTest}, made by the real encoders, into
 * {@code src/test/resources/dev/cella/enclave/internal/EnclaveRuntimeFuzzTestInputs/...}: a whole
 * lifecycle, calls out to the host with good and bad answers, failures of every kind, and
 * requests before and after the valid INITIALIZE. Not part of the build: {@code ./mvnw -pl
 * cella-enclave -am test -Dtest=FuzzSeedsWriter -Dsurefire.failIfNoSpecifiedTests=false
 * -Dcella.fuzz.writeSeeds=true} (docs/fuzzing.md).
 */
@EnabledIfSystemProperty(named = "cella.fuzz.writeSeeds", matches = "true")
class FuzzSeedsWriter {
  private static final Path INPUTS = Path.of("src/test/resources/dev/cella/enclave/internal/"
      + "EnclaveRuntimeFuzzTestInputs/framesAroundAValidInitialize_eachGetAResponseFrame");
  private static final CodecLimits LIMITS = CodecLimits.of(EnclaveRuntimeFuzzTest.LIMITS);
  private static final ServiceCodec SERVICE = ServiceCodec.of(FuzzEnclave.Service.class, LIMITS);
  private static final ServiceCodec HOST = ServiceCodec.of(FuzzEnclave.Host.class, LIMITS);

  @Test
  void writeSeeds() throws Exception {
    write("lifecycle", new Script.Builder(1)
        .frame(run(7, "early"))
        .frame(run(7, "echo"))
        .frame(invoke("greet", "fuzz"))
        .frame(invoke("sums", List.of(1, 2, 3), Optional.of(10)))
        .frame(Frames.frame(FrameType.BIND_SERVICE,
            new ServiceBinding(SERVICE.interfaceName(), SERVICE.fingerprint()).encode()))
        .frame(Frames.frame(FrameType.FINISH, new byte[] {9}))
        .frame(run(7, "late"))
        .build());
    byte[] hostBound = Frames.ok(new byte[0]);
    byte[] hostAnswer = Frames.ok(method(HOST, "lookup").encodeResult("value"));
    write("host-calls", new Script.Builder(0)
        .frame(run(1, "nonce"))
        .hostAnswer(Frames.ok(new byte[] {(byte) 0xD2, 0x01}))
        .frame(run(2, "key"))
        .hostAnswer(hostBound)
        .hostAnswer(hostAnswer)
        .frame(invoke("askHost", "key"))
        .hostAnswer(hostAnswer)
        .frame(run(1, "refused"))
        .hostAnswer(Frames.error(Code.UNAVAILABLE, "no platform"))
        .frame(run(1, "garbage answer"))
        .hostAnswer(new byte[] {1})
        .frame(run(1, "no answer"))
        .build());
    write("failures", new Script.Builder(0)
        .frame(run(3, ""))
        .frame(run(4, ""))
        .frame(run(5, ""))
        .frame(run(6, ""))
        .frame(invoke("fail", 0))
        .frame(invoke("fail", 1))
        .frame(invoke("fail", 2))
        .frame(new Invocation(SERVICE.interfaceName(), 42, new byte[] {1}).toFrame(FrameType.INVOKE))
        .frame(new Invocation("com.example.Nothing", 42, new byte[] {1}).toFrame(FrameType.INVOKE))
        .frame(Frames.frame(FrameType.BIND_SERVICE,
            new ServiceBinding(SERVICE.interfaceName(), Bytes.of(new byte[32])).encode()))
        .frame(EnclaveRuntimeFuzzTest.VALID_INITIALIZE)
        .frame(Frames.ok(new byte[0]))
        .frame(Frames.frame(FrameType.HOST_INVOKE, new byte[0]))
        .frame(new byte[] {2, 1})
        .frame(new byte[0])
        .build());
    InitMessage servicesOnly = new InitMessage("fuzz", EnclaveRuntimeFuzzTest.INIT.identity(),
        EnclaveRuntimeFuzzTest.LIMITS, "", EnclaveRuntimeFuzzTest.INIT.services(), new byte[0],
        new byte[32], new byte[32]);
    InitMessage missingClass = new InitMessage("fuzz", EnclaveRuntimeFuzzTest.INIT.identity(),
        EnclaveRuntimeFuzzTest.LIMITS, "com.example.Missing", List.of(), new byte[0],
        new byte[32], new byte[32]);
    write("other-initialize", new Script.Builder(1)
        .frame(Frames.frame(FrameType.INITIALIZE, servicesOnly.encode()))
        .frame(run(7, "after"))
        .build());
    write("failed-initialize", new Script.Builder(1)
        .frame(Frames.frame(FrameType.INITIALIZE, missingClass.encode()))
        .frame(run(7, "after"))
        .build());
  }

  private static byte[] run(int what, String rest) {
    byte[] text = rest.getBytes(StandardCharsets.UTF_8);
    byte[] input = new byte[text.length + 1];
    input[0] = (byte) what;
    System.arraycopy(text, 0, input, 1, text.length);
    return Frames.frame(FrameType.RUN, input);
  }

  private static byte[] invoke(String name, Object... args) {
    MethodCodec m = method(SERVICE, name);
    return new Invocation(SERVICE.interfaceName(), m.id(), m.encodeArguments(args))
        .toFrame(FrameType.INVOKE);
  }

  private static MethodCodec method(ServiceCodec codec, String name) {
    return codec.methods().stream().filter(m -> m.method().getName().equals(name)).findFirst()
        .orElseThrow();
  }

  private static void write(String name, byte[] bytes) throws Exception {
    Files.createDirectories(INPUTS);
    Files.write(INPUTS.resolve("seed-" + name), bytes);
  }
}
