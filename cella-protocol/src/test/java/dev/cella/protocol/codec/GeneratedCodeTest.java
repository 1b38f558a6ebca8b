package dev.cella.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.EnclaveException;
import dev.cella.EnclaveStatus.Code;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The codec generates code for records and for the implementing side of calls up to 64
 * components or parameters and keeps the general path above; both must behave the same. Also
 * the failures that pass through generated code: a throwing accessor, a refusing constructor, a
 * throwing implementation, and a collection that changes while it is encoded.
 */
public class GeneratedCodeTest {
  @TempDir Path temp;

  /** An interface {@code w.Wide} with a record of n components and a method of n parameters. */
  private Class<?> wide(int n) throws Exception {
    String components = IntStream.range(0, n)
        .mapToObj(i -> (i % 2 == 0 ? "int c" : "String c") + i).collect(Collectors.joining(", "));
    String params = IntStream.range(0, n)
        .mapToObj(i -> (i % 2 == 0 ? "int p" : "String p") + i).collect(Collectors.joining(", "));
    String source = "package w;\npublic interface Wide {\n"
        + "  record R(" + components + ") {}\n"
        + "  String echo(R r);\n"
        + "  long sum(" + params + ");\n"
        + "}\n";
    Path dir = Files.createDirectories(temp.resolve("wide" + n));
    return InMemoryCompiler.compileAndLoad(dir, "w.Wide", source);
  }

  private static Object[] values(int n) {
    Object[] v = new Object[n];
    for (int i = 0; i < n; i++) {
      v[i] = i % 2 == 0 ? (Object) (i * 7) : (i % 3 == 0 ? null : "v" + i);
    }
    return v;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 63, 64, 65, 100})
  void wideRecordsAndCalls_roundTripAndDispatch_onEitherPath(int n) throws Throwable {
    Class<?> iface = wide(n);
    Class<?> record = iface.getClassLoader().loadClass("w.Wide$R");
    ServiceCodec codec = ServiceCodec.of(iface, CodecLimits.DEFAULT);
    Constructor<?> ctor = record.getDeclaredConstructors()[0];
    Object r = ctor.newInstance(values(n));

    MethodCodec echo = codec.method(iface.getMethod("echo", record));
    assertThat(echo.decodeArguments(echo.encodeArguments(new Object[] {r}))).containsExactly(r);

    Method sum = Arrays.stream(iface.getMethods()).filter(m -> m.getName().equals("sum"))
        .findFirst().orElseThrow();
    MethodCodec sumCodec = codec.method(sum);
    Object impl = Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface},
        (proxy, method, args) -> switch (method.getName()) {
          case "sum" -> {
            long total = 0;
            for (Object a : args) {
              total += a instanceof Integer i ? i : a == null ? 1_000 : ((String) a).length();
            }
            yield total;
          }
          case "echo" -> args[0].toString();
          default -> throw new UnsupportedOperationException(method.getName());
        });
    Object[] args = values(n);
    long expected = 0;
    for (Object a : args) {
      expected += a instanceof Integer i ? i : a == null ? 1_000 : ((String) a).length();
    }
    byte[] outcome = sumCodec.dispatch(impl, sumCodec.encodeArguments(args));
    assertThat(sumCodec.decodeOutcome(outcome)).isEqualTo(expected);
    assertThat(echo.decodeOutcome(echo.dispatch(impl, echo.encodeArguments(new Object[] {r}))))
        .isEqualTo(r.toString());
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 65})
  void trailingBytes_refuseTheCall_beforeTheImplementationRuns(int n) throws Throwable {
    Class<?> iface = wide(n);
    ServiceCodec codec = ServiceCodec.of(iface, CodecLimits.DEFAULT);
    Method sum = Arrays.stream(iface.getMethods()).filter(m -> m.getName().equals("sum"))
        .findFirst().orElseThrow();
    MethodCodec m = codec.method(sum);
    List<String> calls = new ArrayList<>();
    Object impl = Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface},
        (proxy, method, a) -> {
          calls.add(method.getName());
          return 0L;
        });
    byte[] good = m.encodeArguments(values(n));
    byte[] longer = Arrays.copyOf(good, good.length + 1);
    assertThatThrownBy(() -> m.decodeOutcome(m.dispatch(impl, longer)))
        .isInstanceOfSatisfying(EnclaveException.class,
            e -> assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT));
    assertThat(calls).isEmpty();
  }

  public record Touchy(String name) {
    @Override
    public String name() {
      throw new IllegalStateException("secret detail");
    }
  }

  public record Picky(int value) {
    public Picky {
      if (value < 0) {
        throw new IllegalArgumentException("negative");
      }
    }
  }

  public interface Failing {
    void touchy(Touchy t);

    void picky(Picky p);

    int explode(int x);

    void list(List<String> items);
  }

  private static final ServiceCodec FAILING = ServiceCodec.of(Failing.class, CodecLimits.DEFAULT);

  @Test
  void throwingAccessor_failsTheEncoding_namingTheAccessorOnly() throws Exception {
    MethodCodec m = FAILING.method(Failing.class.getMethod("touchy", Touchy.class));
    assertThatThrownBy(() -> m.encodeArguments(new Object[] {new Touchy("x")}))
        .isInstanceOf(CodecException.class)
        .hasMessage("the accessor Touchy.name() threw java.lang.IllegalStateException");
  }

  @Test
  void refusingConstructor_failsTheDecoding_asInvalidArgument() throws Throwable {
    MethodCodec m = FAILING.method(Failing.class.getMethod("picky", Picky.class));
    byte[] message = m.encodeArguments(new Object[] {new Picky(5)});
    // The same message with the component -5 (its last 4 bytes): only the constructor refuses it.
    byte[] tampered = message.clone();
    int at = tampered.length - 4;
    tampered[at] = (byte) 0xFF;
    tampered[at + 1] = (byte) 0xFF;
    tampered[at + 2] = (byte) 0xFF;
    tampered[at + 3] = (byte) 0xFB;
    assertThat(m.decodeArguments(message)).containsExactly(new Picky(5));
    assertThatThrownBy(() -> m.decodeArguments(tampered))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("refused its decoded components: its constructor threw "
            + "java.lang.IllegalArgumentException");
    Failing impl = new FailingImpl();
    assertThatThrownBy(() -> m.decodeOutcome(m.dispatch(impl, tampered)))
        .isInstanceOfSatisfying(EnclaveException.class,
            e -> assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT));
  }

  @Test
  void throwingImplementation_crossesAsInternal_withItsClassNameOnly() throws Exception {
    MethodCodec m = FAILING.method(Failing.class.getMethod("explode", int.class));
    byte[] outcome = m.dispatch(new FailingImpl(), m.encodeArguments(new Object[] {3}));
    assertThatThrownBy(() -> m.decodeOutcome(outcome))
        .isInstanceOfSatisfying(EnclaveException.class,
            e -> assertThat(e.code()).isEqualTo(Code.INTERNAL))
        .hasMessageContaining("java.lang.ArithmeticException")
        .hasMessageNotContaining("boom 3");
  }

  @Test
  void dispatchToAnObjectOfAnotherType_isRefusedAsItself_throughTheServingBoundary()
      throws Exception {
    MethodCodec m = FAILING.method(Failing.class.getMethod("explode", int.class));
    byte[] arguments = m.encodeArguments(new Object[] {3});
    assertThatThrownBy(() -> m.dispatch("not a Failing", arguments))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not implement");
  }

  @Test
  void listThatGrowsWhileEncoded_isRefused() throws Exception {
    MethodCodec m = FAILING.method(Failing.class.getMethod("list", List.class));
    List<String> growing = new GrowingList();
    assertThat(growing).isInstanceOf(java.util.RandomAccess.class);
    assertThatThrownBy(() -> m.encodeArguments(new Object[] {growing}))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("changed its size while being encoded");
  }

  /** A random-access list that grows by one while its second element is read. */
  private static final class GrowingList extends java.util.AbstractList<String>
      implements java.util.RandomAccess {
    private int size = 2;

    @Override
    public String get(int index) {
      if (index == 1) {
        size++;
      }
      return "e" + index;
    }

    @Override
    public int size() {
      return size;
    }
  }

  private static final class FailingImpl implements Failing {
    @Override
    public void touchy(Touchy t) {}

    @Override
    public void picky(Picky p) {}

    @Override
    public int explode(int x) {
      throw new ArithmeticException("boom " + x);
    }

    @Override
    public void list(List<String> items) {}
  }
}
