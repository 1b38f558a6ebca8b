package dev.cella.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cella.cli.internal.Progress;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressTest {
  @Test
  void progress_inATerminal_redrawsOneLineAndClearsIt() {
    StringWriter text = new StringWriter();
    try (Progress p = Progress.of(new PrintWriter(text), true)) {
      p.show("reading jars 1/2 (0.0 MiB)");
      p.show("signing");
    }
    String out = text.toString();
    assertThat(out).startsWith("\rcella: reading jars 1/2 (0.0 MiB)").contains("\rcella: signing")
        .doesNotContain("\n").endsWith("\r");
    assertThat(out.substring(out.lastIndexOf("signing"))).matches("signing +\r +\r");
  }

  @Test
  void progress_notInATerminal_printsNothing() {
    StringWriter text = new StringWriter();
    try (Progress p = Progress.of(new PrintWriter(text), false)) {
      p.show("reading jars 1/2");
    }
    assertThat(text.toString()).isEmpty();
  }

  @Test
  void progress_forTerminal_isOffWhenTheTestsOutputIsNotATerminal() {
    assertThat(Progress.forTerminal(new PrintWriter(new StringWriter())).enabled())
        .isEqualTo(System.console() != null && System.console().isTerminal());
  }

  @Test
  void mebibytes_hasOneDecimal() {
    assertThat(Progress.mebibytes(3 * 1024 * 1024 + 512 * 1024)).isEqualTo("3.5 MiB");
  }
}
