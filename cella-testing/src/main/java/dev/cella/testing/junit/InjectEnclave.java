package dev.cella.testing.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field of an {@link EnclaveTest} class to receive the loaded enclave ({@link
 * dev.cella.Enclave}) or one of its typed services (an {@link dev.cella.EnclaveService}
 * interface), and optionally asks, on a field or a test method's parameter, for a second enclave
 * loaded from the same bundle under a {@linkplain MockIdentity mock identity}.
 *
 * <pre>{@code
 * @InjectEnclave Greeter greeter;
 * @InjectEnclave(insecureMockIdentity = @MockIdentity(svn = 2)) Enclave nextVersion;
 * }</pre>
 *
 * <p>Each distinct mock identity is loaded once per backend and shared by the class's tests.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.PARAMETER})
public @interface InjectEnclave {
  /** At most one mock identity; none means the class's enclave. */
  MockIdentity[] insecureMockIdentity() default {};
}
