package dev.cella.bundle;

import dev.cella.bundle.internal.Names;

/**
 * One typed service a bundle offers: the Java interface shared by host and enclave, and the class
 * inside the bundle that implements it.
 *
 * <p>Example: {@code new ServiceBinding("com.example.Signer", "com.example.internal.SignerImpl")}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param interfaceName the fully qualified binary name of the service interface
 * @param implementationName the fully qualified binary name of the implementing class
 */
public record ServiceBinding(String interfaceName, String implementationName) {
  public ServiceBinding {
    Names.checkClassName("service interface", interfaceName);
    Names.checkClassName("service implementation", implementationName);
  }
}
