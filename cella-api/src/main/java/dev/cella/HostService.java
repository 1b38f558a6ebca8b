package dev.cella;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an interface that is implemented by the host and called from the enclave: a host
 * service. The host registers an implementation when it loads the enclave; enclave code gets a
 * proxy for it from its enclave context. Calls cross the boundary through the same signature
 * derived codec as {@link EnclaveService} calls, with the same supported types.
 *
 * <p>The host is untrusted: the enclave must treat every result and every exception of a host
 * service as untrusted input. The codec checks the shape and the limits of what comes back; it
 * cannot check that the host told the truth.
 *
 * <pre>{@code
 * @HostService
 * public interface Clock {
 *   long currentTimeMillis();
 * }
 *
 * // enclave side
 * long hostTime = ctx.host(Clock.class).currentTimeMillis(); // the host's claim, not a fact
 * }</pre>
 *
 * @see EnclaveService for the other direction
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface HostService {}
