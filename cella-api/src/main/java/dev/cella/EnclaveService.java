package dev.cella;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an interface that is implemented inside the enclave and called by the host: a typed
 * service. The host gets a thread-safe proxy for it from the loaded enclave; every call crosses
 * the boundary through a codec derived from the interface's method signatures (never Java
 * serialization).
 *
 * <p>Parameters, results and declared exceptions must be types the codec supports: primitives and
 * their boxes, {@code String}, {@code byte[]}, enums, public records of supported types, and
 * {@code List}, {@code Set}, {@code Map} and {@code Optional} of supported types. Any other type
 * is refused when the enclave loads, with an error naming the method and the type. Abstract
 * methods cross the boundary; default methods run on the caller's side.
 *
 * <pre>{@code
 * @EnclaveService
 * public interface SignerService {
 *   record Signature(String algorithm, byte[] value) {}
 *
 *   Signature sign(byte[] message) throws KeyNotReadyException;
 * }
 *
 * // host side
 * SignerService signer = enclave.service(SignerService.class);
 * Signature signature = signer.sign(document);
 * }</pre>
 *
 * <p>The interface is shared, as source or as a jar, by the host application and the bundle; both
 * sides must use the same version of it (the runtimes compare a fingerprint of its signatures
 * before the first call).
 *
 * @see HostService for the other direction
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface EnclaveService {}
