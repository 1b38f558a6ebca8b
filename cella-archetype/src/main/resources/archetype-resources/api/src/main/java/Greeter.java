package ${package};

import dev.cella.EnclaveService;

/**
 * The service the enclave offers the host. Every call crosses the enclave boundary through a codec
 * derived from these signatures: parameters and results may be primitives, String, byte[], enums,
 * records and List, Set, Map or Optional of those. The build refuses anything else.
 */
@EnclaveService
public interface Greeter {
  /** What the enclave answers: the greeting and how many visitors it has greeted so far. */
  record Greeting(String text, int visitor) {}

  /** Greets {@code name} from inside the enclave. */
  Greeting greet(String name);
}
