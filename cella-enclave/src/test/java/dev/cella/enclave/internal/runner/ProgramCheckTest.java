package dev.cella.enclave.internal.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cella.bundle.ApplicationSpec;
import dev.cella.bundle.FileGrant;
import dev.cella.bundle.HostAccess;
import dev.cella.bundle.Manifest;
import dev.cella.protocol.FrameType;
import dev.cella.protocol.Frames;
import dev.cella.protocol.ProgramMessages;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProgramCheckTest {
  private static final Manifest MANIFEST = Manifest.builder().name("app")
      .application(new ApplicationSpec("a.Main", List.of("-v"), new LinkedHashMap<>(),
          Optional.empty()))
      .hostAccess(new HostAccess(List.of(new FileGrant("/srv", "/in", FileGrant.Mode.READ_ONLY)),
          List.of()))
      .build();

  private static byte[] frame(String main, List<String> args, String dir,
      List<ProgramMessages.Mount> mounts) {
    return Frames.frame(FrameType.PROGRAM_START, new ProgramMessages.Start(main, args,
        new LinkedHashMap<>(), dir, mounts).encode());
  }

  private static final List<ProgramMessages.Mount> GRANTS =
      List.of(new ProgramMessages.Mount("/srv", "/in", "read-only"));

  @Test
  void theManifestsProgram_withArgumentsAdded_passes() {
    assertThat(ProgramCheck.differenceOrNull(frame("a.Main", List.of("-v", "x"), "", GRANTS),
        MANIFEST)).isNull();
  }

  @Test
  void anotherMainClass_otherLeadingArgs_otherGrants_orDirectory_areRefused() {
    assertThat(ProgramCheck.differenceOrNull(frame("b.Main", List.of("-v"), "", GRANTS), MANIFEST))
        .contains("main class b.Main");
    assertThat(ProgramCheck.differenceOrNull(frame("a.Main", List.of("x", "-v"), "", GRANTS),
        MANIFEST)).contains("arguments");
    assertThat(ProgramCheck.differenceOrNull(frame("a.Main", List.of("-v"), "",
        List.of(new ProgramMessages.Mount("/", "/in", "read-write"))), MANIFEST))
        .contains("file grants");
    assertThat(ProgramCheck.differenceOrNull(frame("a.Main", List.of("-v"), "/etc", GRANTS),
        MANIFEST)).contains("working directory");
  }
}
