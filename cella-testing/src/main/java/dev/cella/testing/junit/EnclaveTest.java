package dev.cella.testing.junit;

import dev.cella.testing.junit.internal.EnclaveTestExtension;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.ClassTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a JUnit 5 test class against an enclave, once per backend. For each backend in {@link
 * #backends()} the bundle is loaded before the class's tests and closed after them; test methods
 * receive the enclave or one of its typed services as parameters ({@link dev.cella.Enclave}, any
 * {@link dev.cella.EnclaveService} interface, {@link dev.cella.BackendInfo}), and fields marked
 * {@link InjectEnclave} receive them too. A backend that cannot run on this machine is skipped,
 * its reason printed and reported as the skip's reason, never silently passed.
 *
 * <pre>{@code
 * @EnclaveTest(bundle = "target/greeter.cella", backends = {"sim", "process"})
 * class GreeterTest {
 *   @Test
 *   void greets(Greeter greeter) {
 *     assertThat(greeter.greet("Ada").text()).isEqualTo("hello, Ada");
 *   }
 *
 *   @Test
 *   void upgradeKeepsTheProduct(Enclave current,
 *       @InjectEnclave(insecureMockIdentity = @MockIdentity(svn = 4)) Enclave upgraded) {
 *     assertThat(upgraded.identity().svn()).isEqualTo(4);
 *   }
 * }
 * }</pre>
 *
 * <p>The class runs as a JUnit class template: each backend is one invocation of it, named
 * {@code [sim]}, {@code [process]}, …, with its own enclaves. The enclaves are thread-safe, so
 * tests may run in parallel within an invocation.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ClassTemplate
@ExtendWith(EnclaveTestExtension.class)
public @interface EnclaveTest {
  /**
   * The signed bundle: a file path (relative paths are resolved against the working directory,
   * the module's folder under Maven), else a class-path resource of that name.
   */
  String bundle();

  /** The backends to run the class on, in order; default {@code sim}. */
  String[] backends() default {"sim"};

  /**
   * Load the class's enclave under another identity: at most one {@link MockIdentity}, for which
   * the bundle is re-signed before loading. Insecure by design, for tests only; logged at
   * WARNING.
   */
  MockIdentity[] insecureMockIdentity() default {};
}
