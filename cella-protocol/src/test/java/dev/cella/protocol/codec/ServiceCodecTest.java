package dev.cella.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import dev.cella.protocol.codec.Fixtures.AllTypes;
import dev.cella.protocol.codec.Fixtures.Page;
import dev.cella.protocol.codec.Fixtures.Point;
import dev.cella.protocol.codec.Fixtures.Signer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/** The shape of a derived codec: which methods are remote and how they are found. */
class ServiceCodecTest {
  private static final ServiceCodec SIGNER = ServiceCodec.of(Signer.class, CodecLimits.DEFAULT);

  @Test
  void abstractMethodsAreRemote_defaultStaticAndObjectMethodsAreNot() {
    assertThat(SIGNER.methods()).extracting(MethodCodec::signature)
        .containsExactly("risky()void", "sign(byte[])byte[]", "version()int");
    assertThat(SIGNER.interfaceName()).isEqualTo(Signer.class.getName());
    assertThatThrownBy(() -> SIGNER.method(Signer.class.getMethod("describe")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a remote method");
  }

  @Test
  void methodsAreFoundByReflectionAndById() throws Exception {
    MethodCodec sign = SIGNER.method(Signer.class.getMethod("sign", byte[].class));
    assertThat(SIGNER.method(sign.id())).isSameAs(sign);
    assertThat(sign.method()).isEqualTo(Signer.class.getMethod("sign", byte[].class));
    assertThat(sign).hasToString("Signer.sign(byte[])");
  }

  @Test
  void unknownId_isUnimplemented() {
    assertThatThrownBy(() -> SIGNER.method(42L))
        .isInstanceOfSatisfying(EnclaveException.class,
            e -> assertThat(e.code()).isEqualTo(Code.UNIMPLEMENTED))
        .hasMessageContaining("no method with id 2a");
  }

  @Test
  void schema_listsMethodsAndReachableTypes() {
    String schema = RoundTripPropertyTest.CODEC.schema();
    assertThat(schema)
        .startsWith("cella-codec 1\ninterface " + AllTypes.class.getName() + "\n")
        .contains("method sum(int,java.lang.Integer)int id=")
        .contains(" params=(int,java.lang.Integer) result=int throws=()")
        .contains("type " + Page.class.getName() + "<" + Point.class.getName()
            + "> = record {items:java.util.List<" + Point.class.getName()
            + ">,next:java.util.Optional<java.lang.String>}")
        .contains("type " + Fixtures.Color.class.getName() + " = enum {BLUE,GREEN,RED}");
    assertThat(SIGNER.schema()).contains("throws=(" + Fixtures.KeyNotReadyException.class.getName()
        + ",java.io.IOException)");
  }

  @Test
  void oneCodec_servesManyThreadsAtOnce() throws Exception {
    MethodCodec points = RoundTripPropertyTest.method("points");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int seed = t;
        done.add(pool.submit(() -> {
          for (int i = 0; i < 2_000; i++) {
            Page<Point> page = new Page<>(
                List.of(new Point(seed, i), new Point(i, -seed)), Optional.of("n" + i));
            Object back = points.decodeArguments(points.encodeArguments(new Object[] {page}))[0];
            assertThat(back).isEqualTo(page);
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
