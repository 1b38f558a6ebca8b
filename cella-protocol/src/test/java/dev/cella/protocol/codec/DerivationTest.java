package dev.cella.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cella.EnclaveStatus;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Derivation refuses every unsupported type, naming the interface, the method and the type. */
public class DerivationTest { // public: its nested service types must be accessible

  public interface SignerService {
    byte[] sign(Object document);
  }

  public interface TakesIntArray {
    void add(int[] values);
  }

  public interface TakesInterface {
    void add(CharSequence text);
  }

  @SuppressWarnings("rawtypes")
  public interface TakesRawList {
    void add(List values);
  }

  public interface TakesSuperWildcard {
    void add(List<? super Integer> values);
  }

  public interface TakesUnboundedWildcard {
    void add(List<?> values);
  }

  public interface GenericMethod {
    <T> void add(T value);
  }

  public interface Repository<T> {
    T load(String key);

    void store(String key, T value);
  }

  public interface StringRepository extends Repository<String> {}

  public interface ListRepository<E> extends Repository<List<E>> {}

  public interface IntListRepository extends ListRepository<Integer> {}

  record Hidden(int x) {}

  public interface TakesHiddenRecord {
    void add(Hidden hidden);
  }

  public record HoldsObject(String name, Object value) {}

  public interface TakesRecordOfObject {
    void add(Optional<HoldsObject> holder);
  }

  public interface ReturnsBoxedVoid {
    Void run();
  }

  public interface TakesSetOfByteArrays {
    void add(Set<byte[]> values);
  }

  public record Expanding<T>(T value, Optional<Expanding<List<T>>> next) {}

  public interface TakesExpanding {
    void add(Expanding<String> e);
  }

  public static class NoStringConstructorException extends Exception {
    private static final long serialVersionUID = 1L;

    public NoStringConstructorException() {}
  }

  public interface ThrowsUnbuildable {
    void run() throws NoStringConstructorException;
  }

  public abstract static class AbstractFailure extends Exception {
    private static final long serialVersionUID = 1L;

    public AbstractFailure(String message) {
      super(message);
    }
  }

  public interface ThrowsAbstract {
    void run() throws AbstractFailure;
  }

  interface NotPublic {
    void run();
  }

  public interface Base {
    Object get();
  }

  public interface Covariant extends Base {
    @Override
    String get();
  }

  public record Directory(String name, List<Directory> children, Optional<Directory> parent) {}

  public interface TakesRecursive {
    Directory walk(Directory root);
  }

  private static String refusal(Class<?> iface) {
    try {
      ServiceCodec.of(iface, CodecLimits.DEFAULT);
    } catch (UnsupportedTypeException e) {
      assertThat(e.code()).isEqualTo(EnclaveStatus.Code.INVALID_ARGUMENT);
      return e.getMessage();
    }
    throw new AssertionError(iface.getSimpleName() + " was not refused");
  }

  @Test
  void object_isRefused_namingMethodAndType() {
    assertThat(refusal(SignerService.class))
        .startsWith("SignerService.sign(Object): type java.lang.Object cannot cross the enclave "
            + "boundary: not a supported type (at parameter 1; supported: ");
  }

  @Test
  void arraysOtherThanBytes_areRefused() {
    assertThat(refusal(TakesIntArray.class))
        .startsWith("TakesIntArray.add(int[]): type int[] cannot cross")
        .contains("use a List");
  }

  @Test
  void interfaceTypes_areRefused() {
    assertThat(refusal(TakesInterface.class))
        .startsWith("TakesInterface.add(CharSequence): type java.lang.CharSequence cannot cross");
  }

  @Test
  void rawCollections_areRefused() {
    assertThat(refusal(TakesRawList.class))
        .startsWith("TakesRawList.add(List): type java.util.List cannot cross")
        .contains("raw type");
  }

  @Test
  void superAndUnboundedWildcards_areRefused() {
    assertThat(refusal(TakesSuperWildcard.class))
        .contains("type ? super java.lang.Integer cannot cross")
        .contains("at parameter 1 > element");
    assertThat(refusal(TakesUnboundedWildcard.class))
        .contains("type ? cannot cross")
        .contains("unbounded wildcard");
  }

  @Test
  void unresolvedTypeVariables_areRefused() {
    assertThat(refusal(GenericMethod.class))
        .startsWith("GenericMethod.add(Object): type T cannot cross")
        .contains("not resolved");
    assertThat(refusal(Repository.class)).startsWith("Repository.load(String): type T cannot cross");
  }

  @Test
  void typeVariablesResolvedByASubInterface_areSupported() throws Throwable {
    ServiceCodec strings = ServiceCodec.of(StringRepository.class, CodecLimits.DEFAULT);
    MethodCodec load = strings.method(Repository.class.getMethod("load", String.class));
    assertThat(load.decodeOutcome(load.encodeResult("value"))).isEqualTo("value");
    assertThat(strings.schema()).contains("result=java.lang.String");

    ServiceCodec lists = ServiceCodec.of(IntListRepository.class, CodecLimits.DEFAULT);
    MethodCodec store =
        lists.method(Repository.class.getMethod("store", String.class, Object.class));
    Object[] args = store.decodeArguments(store.encodeArguments(new Object[] {"k", List.of(1, 2)}));
    assertThat(args).containsExactly("k", List.of(1, 2));
    assertThatThrownBy(() -> store.encodeArguments(new Object[] {"k", List.of("not an int")}))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("expected a value of type java.lang.Integer");
  }

  @Test
  void nonPublicRecords_areRefused_sayingTheyMustBePublic() {
    assertThat(refusal(TakesHiddenRecord.class))
        .startsWith("TakesHiddenRecord.add(Hidden): type " + Hidden.class.getName() + " cannot")
        .contains("must be public");
  }

  @Test
  void unsupportedRecordComponents_areRefused_withTheirPath() {
    assertThat(refusal(TakesRecordOfObject.class))
        .startsWith("TakesRecordOfObject.add(Optional): type java.lang.Object cannot cross")
        .contains("at parameter 1 > value > component HoldsObject.value");
  }

  @Test
  void boxedVoid_isRefused() {
    assertThat(refusal(ReturnsBoxedVoid.class))
        .startsWith("ReturnsBoxedVoid.run(): type java.lang.Void cannot cross")
        .contains("at result");
  }

  @Test
  void byteArraysAsSetElements_areRefused() {
    assertThat(refusal(TakesSetOfByteArrays.class)).contains("compares by identity");
  }

  @Test
  void endlesslyExpandingGenericRecords_areRefused() {
    assertThat(refusal(TakesExpanding.class))
        .startsWith("TakesExpanding.add(Expanding): type " + Expanding.class.getName())
        .contains("expands without end");
  }

  @Test
  void recursiveRecords_areSupported_andDescribedOnce() {
    ServiceCodec codec = ServiceCodec.of(TakesRecursive.class, CodecLimits.DEFAULT);
    assertThat(codec.schema())
        .contains("type " + Directory.class.getName() + " = record {name:java.lang.String,"
            + "children:java.util.List<" + Directory.class.getName() + ">,parent:java.util."
            + "Optional<" + Directory.class.getName() + ">}");
  }

  @Test
  void declaredExceptionsWithoutStringConstructor_areRefused_namingThem() {
    assertThat(refusal(ThrowsUnbuildable.class))
        .startsWith("ThrowsUnbuildable.run(): type " + NoStringConstructorException.class.getName()
            + " cannot cross")
        .contains("public constructor NoStringConstructorException(String)");
    assertThat(refusal(ThrowsAbstract.class)).contains("public, concrete class");
  }

  @Test
  void classesAndNonPublicInterfaces_areRefused() {
    assertThatThrownBy(() -> ServiceCodec.of(String.class, CodecLimits.DEFAULT))
        .isInstanceOf(UnsupportedTypeException.class)
        .hasMessageContaining("java.lang.String cannot be a service");
    assertThatThrownBy(() -> ServiceCodec.of(NotPublic.class, CodecLimits.DEFAULT))
        .isInstanceOf(UnsupportedTypeException.class)
        .hasMessageContaining("must be a public interface");
  }

  @Test
  void covariantOverride_isOneMethod_foundThroughEitherDeclaration() throws Exception {
    assertThat(refusal(Base.class)).startsWith("Base.get(): type java.lang.Object cannot cross");
    ServiceCodec codec = ServiceCodec.of(Covariant.class, CodecLimits.DEFAULT);
    assertThat(codec.methods()).hasSize(1);
    assertThat(codec.method(Base.class.getMethod("get")))
        .isSameAs(codec.method(Covariant.class.getMethod("get")));
    assertThat(codec.methods().getFirst().signature()).isEqualTo("get()java.lang.String");
  }
}
